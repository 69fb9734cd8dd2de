export interface Viewer { id: string }

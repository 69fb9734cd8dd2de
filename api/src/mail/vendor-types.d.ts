// Minimal declarations for the parts of libmime that the mail core uses (libmime ships no types).
declare module 'libmime' {
  interface Libmime {
    decodeWords(value: string): string;
    detectExtension(mimeType: string): string;
    detectMimeType(extension: string): string;
    parseHeaderValue(value: string): { value: string; params: Record<string, string> };
  }
  const libmime: Libmime;
  export default libmime;
}

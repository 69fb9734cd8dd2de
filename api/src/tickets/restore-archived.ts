import type { HistoryEntry } from './history.ts';

/**
 * Brings an archived ticket back into the working set (OTRS: a follow-up or a change of state
 * restores it from the archive). The one place that writes `archived = false` with its history
 * row: addArticle, the mail pipeline's follow-ups and setTicketState all use it.
 */
export function restoreFromArchive(ticket: { archived: boolean }, data: { archived?: boolean }, history: HistoryEntry[]): boolean {
  if (!ticket.archived) return false;
  data.archived = false;
  history.push({ action: 'unarchived', field: 'archived', oldValue: 'true', newValue: 'false' });
  return true;
}

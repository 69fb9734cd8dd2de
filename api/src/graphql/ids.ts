import { decodeGlobalID } from '@pothos/plugin-relay';
import { ValidationError } from '../errors/app-error.ts';
import { isUuid } from '../tickets/load-ticket.ts';

/** Accepts a raw UUID or a relay global id ("Ticket:<uuid>" in base64) and returns the UUID. */
export function fromGlobalOrRawId(id: string): string {
  if (isUuid(id)) return id;
  try {
    const decoded = decodeGlobalID(id);
    if (isUuid(decoded.id)) return decoded.id;
  } catch { /* fall through */ }
  throw new ValidationError(`"${id.slice(0, 80)}" is not a valid id`, 'id');
}

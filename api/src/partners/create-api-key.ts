import { withTenant, type Db } from '@parley/db';
import { z } from 'zod';
import { newToken, sha256 } from '../auth/secrets.ts';
import { ApiKeyScopes, type AgentViewer } from '../auth/viewer.ts';
import { ForbiddenError, NotFoundError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { isUuid } from '../tickets/load-ticket.ts';

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(ApiKeyScopes)).min(1).default(['tickets:read']),
});

/** Creates a partner API key. The secret is returned once; only its SHA-256 is stored. */
export async function createApiKey(db: Db, viewer: AgentViewer, raw: z.input<typeof createApiKeyInput>) {
  if (!viewer.isAdmin || viewer.apiKey) throw new ForbiddenError('Only a tenant admin, signed in, can create API keys');
  const input = parseInput(createApiKeyInput, raw);
  const secret = newToken('pk');
  const key = await withTenant(db, viewer.tenantId, (tx) => tx.apiKey.create({
    data: {
      tenantId: viewer.tenantId, name: input.name, scopes: [...new Set(input.scopes)],
      prefix: secret.slice(0, 11), secretHash: sha256(secret), createdById: viewer.userId,
    },
  }));
  return { key, secret };
}

export async function revokeApiKey(db: Db, viewer: AgentViewer, id: string) {
  if (!isUuid(id)) throw new NotFoundError('API key');
  if (!viewer.isAdmin || viewer.apiKey) throw new ForbiddenError('Only a tenant admin, signed in, can revoke API keys');
  return withTenant(db, viewer.tenantId, async (tx) => {
    await tx.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    const key = await tx.apiKey.findFirst({ where: { id } });
    if (!key) throw new NotFoundError('API key');
    return key;
  });
}

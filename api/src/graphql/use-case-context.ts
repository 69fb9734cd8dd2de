import type { AgentViewer, TenantViewer } from '../auth/viewer.ts';
import { ForbiddenError, UnauthenticatedError } from '../errors/app-error.ts';
import type { UseCaseContext } from '../tickets/ticket-context.ts';
import { mailContext } from '../mail/outbound/mail-context.ts';
import type { GraphQLContext } from './context.ts';

/** The use-case context of a request by a tenant member (agent, admin, API key or customer). */
export function useCaseContext(ctx: GraphQLContext): UseCaseContext {
  const v = ctx.viewer;
  if (v.kind !== 'agent' && v.kind !== 'customer') throw new UnauthenticatedError();
  return {
    db: ctx.services.db, viewer: v as TenantViewer, meta: ctx.meta, mail: mailContext(ctx.services), events: ctx.services.events,
    attachments: { maxFiles: ctx.services.config.ATTACHMENT_MAX_FILES, blobs: ctx.services.blobs },
  };
}

export function agentContext(ctx: GraphQLContext): UseCaseContext & { viewer: AgentViewer } {
  const uc = useCaseContext(ctx);
  if (uc.viewer.kind !== 'agent') throw new ForbiddenError('Only agents can do this');
  return uc as UseCaseContext & { viewer: AgentViewer };
}

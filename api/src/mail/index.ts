// The mail core in one import: `import { parseMail, classifyMail, ... } from '@parley/api/mail/index.ts'`.
export { parseMail, MailParseError, parseAddressList, safeFilename, DEFAULT_MAX_MAIL_BYTES } from './parse-mail.ts';
export type { ParsedMail, ParsedAttachment, MailAddress, AttachmentRole, MailParseErrorCode, MailParseWarning, ParseMailOptions } from './parse-mail.ts';
export { classifyMail, parseDeliveryStatus } from './classify-mail.ts';
export type { MailKind, MailClassification, ClassifiableMail } from './classify-mail.ts';
export { sanitizeMailHtml } from './sanitize-mail-html.ts';
export type { SanitizeMailHtmlOptions, SanitizedMailHtml } from './sanitize-mail-html.ts';
export { extractTicketNumbers, referencedMessageIds, cleanSubject, subjectWithTicketNumber } from './thread-hints.ts';
export type { TicketHook } from './thread-hints.ts';
export { decideAutoResponse, loopCounterKey, normalizeLoopAddress, isOwnOutgoingMail } from './loop-guard.ts';
export type { AutoResponseDecision, AutoResponseInput } from './loop-guard.ts';
export { composeMail, generateMessageId, automationHeaders } from './compose-mail.ts';
export type { ComposeMailInput, ComposedMail, OutgoingAddress, OutgoingAttachment, OutgoingKind } from './compose-mail.ts';
export { renderTemplate, templatePlaceholders, escapeHtml, TEMPLATE_PLACEHOLDERS } from './render-template.ts';
export type { RenderedTemplate, RenderFormat, TemplateData, TemplateValue } from './render-template.ts';
export { normalizeMessageId, parseMessageIdList, bareMessageId } from './message-id.ts';
export { parseHeaderBlock, firstHeader } from './header-block.ts';
export type { HeaderRecord } from './header-block.ts';

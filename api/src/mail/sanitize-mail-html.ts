// HTML from incoming mail made safe to show inside the agent and customer web apps.
import sanitizeHtml from 'sanitize-html';
import type { IOptions, Attributes } from 'sanitize-html';

export type SanitizeMailHtmlOptions = {
  /**
   * Content-IDs (without angle brackets) of the mail's attachments. When given, `cid:` image
   * sources pointing elsewhere are dropped; when omitted every `cid:` source is kept.
   */
  contentIds?: Iterable<string>;
  /**
   * 'keep' leaves remote (http/https) images in place; 'block' moves their URL into
   * `data-remote-src` so the web app can load them only when the reader asks. Default 'keep'.
   */
  remoteImages?: 'keep' | 'block';
};

export type SanitizedMailHtml = {
  html: string;
  hasRemoteImages: boolean;
  /** Content-IDs referenced by kept `cid:` images (the web maps them to attachment URLs). */
  referencedContentIds: string[];
};

const ALLOWED_TAGS = [
  'a', 'abbr', 'address', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br', 'caption', 'center', 'cite', 'code', 'col',
  'colgroup', 'dd', 'del', 'div', 'dl', 'dt', 'em', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img',
  'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup',
  'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul', 'wbr',
];

const TABLE_ATTRS = ['align', 'valign', 'width', 'height', 'bgcolor', 'border', 'cellpadding', 'cellspacing', 'colspan', 'rowspan', 'nowrap'];

const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  '*': ['style', 'dir', 'lang', 'title', 'align'],
  a: ['href'],
  img: ['src', 'alt', 'width', 'height', 'border', 'data-remote-src'],
  font: ['color', 'face', 'size'],
  table: TABLE_ATTRS,
  td: TABLE_ATTRS,
  th: TABLE_ATTRS,
  tr: TABLE_ATTRS,
  col: ['span', 'width'],
  colgroup: ['span', 'width'],
  ol: ['start', 'type'],
  ul: ['type'],
  blockquote: ['cite', 'type'],
};

// CSS: only properties that cannot load anything or escape their box, with conservative values.
const COLOR = /^(#[0-9a-f]{3,8}|rgba?\(\s*[\d.]+%?\s*,?\s*[\d.]+%?\s*,?\s*[\d.]+%?\s*([,/]\s*[\d.]+%?\s*)?\)|[a-z]{3,30})$/i;
const LENGTH = /^(-?\d*\.?\d+(px|pt|em|rem|ex|ch|%|vw|vh|cm|mm|in)?|auto|0)$/i;
const LENGTHS = /^(-?\d*\.?\d+(px|pt|em|rem|ex|ch|%|cm|mm|in)?|auto)(\s+(-?\d*\.?\d+(px|pt|em|rem|ex|ch|%|cm|mm|in)?|auto)){0,3}$/i;
const BORDER = /^((\d*\.?\d+(px|pt|em)?|thin|medium|thick|none|hidden|solid|dashed|dotted|double|groove|ridge|inset|outset|#[0-9a-f]{3,8}|[a-z]{3,20})\s*){1,3}$/i;
const KEYWORD = /^[a-z-]{1,30}$/i;

const ALLOWED_STYLES: Record<string, RegExp[]> = {
  color: [COLOR],
  'background-color': [COLOR],
  background: [COLOR],
  'font-family': [/^[\w\s,"'-]{1,200}$/],
  'font-size': [LENGTH, /^(xx-small|x-small|small|medium|large|x-large|xx-large|smaller|larger)$/i],
  'font-style': [/^(normal|italic|oblique)$/i],
  'font-weight': [/^(normal|bold|bolder|lighter|[1-9]00)$/i],
  'font-variant': [KEYWORD],
  'line-height': [LENGTH, /^normal$/i],
  'letter-spacing': [LENGTH],
  'text-align': [/^(left|right|center|justify|start|end)$/i],
  'text-decoration': [/^(none|underline|overline|line-through)(\s+(solid|double|dotted|dashed|wavy))?$/i],
  'text-indent': [LENGTH],
  'text-transform': [/^(none|capitalize|uppercase|lowercase)$/i],
  'vertical-align': [/^(baseline|top|middle|bottom|sub|super|text-top|text-bottom)$/i, LENGTH],
  'white-space': [/^(normal|nowrap|pre|pre-wrap|pre-line)$/i],
  'word-break': [/^(normal|break-all|keep-all|break-word)$/i],
  'word-wrap': [/^(normal|break-word)$/i],
  'overflow-wrap': [/^(normal|break-word|anywhere)$/i],
  display: [/^(none|block|inline|inline-block|table|table-row|table-cell|list-item)$/i],
  width: [LENGTH],
  height: [LENGTH],
  'max-width': [LENGTH, /^none$/i],
  'min-width': [LENGTH],
  margin: [LENGTHS],
  'margin-top': [LENGTH],
  'margin-right': [LENGTH],
  'margin-bottom': [LENGTH],
  'margin-left': [LENGTH],
  padding: [LENGTHS],
  'padding-top': [LENGTH],
  'padding-right': [LENGTH],
  'padding-bottom': [LENGTH],
  'padding-left': [LENGTH],
  border: [BORDER],
  'border-top': [BORDER],
  'border-right': [BORDER],
  'border-bottom': [BORDER],
  'border-left': [BORDER],
  'border-color': [COLOR],
  'border-style': [KEYWORD],
  'border-width': [LENGTHS],
  'border-collapse': [/^(collapse|separate)$/i],
  'border-spacing': [LENGTHS],
  'border-radius': [LENGTHS],
  'list-style-type': [KEYWORD],
  'table-layout': [/^(auto|fixed)$/i],
};

const SAFE_DATA_IMAGE = /^data:image\/(png|jpe?g|gif|webp|bmp);base64,[a-z0-9+/=\s]+$/i;

/** Sanitizes mail HTML for display. Pure; safe to call on any string. */
export function sanitizeMailHtml(html: string, options: SanitizeMailHtmlOptions = {}): SanitizedMailHtml {
  const known = options.contentIds ? new Set([...options.contentIds].map((c) => c.toLowerCase())) : null;
  const block = options.remoteImages === 'block';
  let hasRemoteImages = false;
  const referenced = new Set<string>();

  const config: IOptions = {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedStyles: { '*': ALLOWED_STYLES },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https', 'cid', 'data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'data-remote-src'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'xmp', 'template', 'object', 'iframe', 'frameset', 'svg', 'math', 'select'],
    enforceHtmlBoundary: false,
    parseStyleAttributes: true,
    transformTags: {
      a: (tagName: string, attribs: Attributes) => {
        const out: Attributes = { ...attribs };
        if (out.href && /^\s*(https?:|mailto:|tel:)/i.test(out.href)) {
          out.target = '_blank';
          out.rel = 'noopener noreferrer nofollow';
        }
        return { tagName, attribs: out };
      },
      img: (tagName: string, attribs: Attributes) => {
        const out: Attributes = { ...attribs };
        const src = (out.src ?? '').trim();
        delete out.src;
        delete out['data-remote-src'];
        if (/^cid:/i.test(src)) {
          let cid = src.slice(4);
          try {
            cid = decodeURIComponent(cid);
          } catch {
            // keep as is
          }
          cid = cid.trim().replace(/^<|>$/g, '');
          if (!known || known.has(cid.toLowerCase())) {
            out.src = `cid:${cid}`;
            referenced.add(cid);
          }
        } else if (/^https?:\/\//i.test(src)) {
          hasRemoteImages = true;
          if (block) out['data-remote-src'] = src;
          else out.src = src;
        } else if (SAFE_DATA_IMAGE.test(src)) {
          out.src = src;
        }
        return { tagName, attribs: out };
      },
    },
  };
  // transformTags runs before the attribute allow-list, so a target/rel we add must be allowed too.
  config.allowedAttributes = { ...ALLOWED_ATTRIBUTES, a: [...ALLOWED_ATTRIBUTES.a, 'target', 'rel'] };

  const clean = sanitizeHtml(html, config);
  return { html: clean, hasRemoteImages, referencedContentIds: [...referenced] };
}

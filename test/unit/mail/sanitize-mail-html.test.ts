import { describe, expect, it } from 'vitest';
import { sanitizeMailHtml } from '@parley/api/mail/sanitize-mail-html.ts';

const clean = (html: string, opts?: Parameters<typeof sanitizeMailHtml>[1]) => sanitizeMailHtml(html, opts).html;

describe('sanitizeMailHtml', () => {
  it.each([
    ['<script>alert(1)</script>ok', 'ok'],
    ['<img src=x onerror=alert(1)>', '<img />'],
    ['<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="jav&#x09;ascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="vbscript:msgbox(1)">x</a>', '<a>x</a>'],
    ['<a href="data:text/html,<script>alert(1)</script>">x</a>', '<a>x</a>'],
    ['<iframe src="https://e.example"></iframe>after', 'after'],
    ['<object data="x.swf"></object><embed src="y.swf">', ''],
    ['<form action="https://e.example"><input name="pw"><button>Go</button></form>', 'Go'],
    ['<svg><script>alert(1)</script></svg>', ''],
    ['<math><mi xlink:href="javascript:alert(1)">x</mi></math>', ''],
    ['<style>*{color:red}</style><p>t</p>', '<p>t</p>'],
    ['<meta http-equiv="refresh" content="0;url=https://e.example"><p>t</p>', '<p>t</p>'],
    ['<base href="https://e.example/"><p>t</p>', '<p>t</p>'],
    ['<p onclick="x()" onmouseover="y()">t</p>', '<p>t</p>'],
    ['<div id="login" class="btn">t</div>', '<div>t</div>'],
    ['<img src="data:image/svg+xml;base64,PHN2Zz4=">', '<img />'],
    ['<img src="//e.example/p.gif">', '<img />'],
    ['<p style="background-image:url(https://t.example/x.gif);color:#333">t</p>', '<p style="color:#333">t</p>'],
    ['<p style="behavior:url(x.htc);width:expression(alert(1))">t</p>', '<p>t</p>'],
    ['<p style="position:fixed;top:0;z-index:999">t</p>', '<p>t</p>'],
    ['<noscript><p>t</p></noscript>x', 'x'],
  ])('removes dangerous markup: %s', (input, expected) => {
    expect(clean(input)).toBe(expected);
  });

  it('keeps basic formatting, tables and safe inline styles', () => {
    const html =
      '<h2>Title</h2><p style="color: rgb(0, 0, 0); font-size: 14px; text-align: center; margin: 0 auto">Hi <b>b</b> <i>i</i> <u>u</u></p>' +
      '<ul><li>one</li></ul><blockquote type="cite">quoted</blockquote><pre>code</pre>' +
      '<table width="100%" cellpadding="4" style="border-collapse: collapse"><tr><td colspan="2" bgcolor="#eeeeee" style="border: 1px solid #ccc; padding: 4px 8px">c</td></tr></table>' +
      '<font color="red" face="Arial">f</font><br><hr>';
    expect(clean(html)).toBe(
      '<h2>Title</h2><p style="color:rgb(0, 0, 0);font-size:14px;text-align:center;margin:0 auto">Hi <b>b</b> <i>i</i> <u>u</u></p>' +
        '<ul><li>one</li></ul><blockquote type="cite">quoted</blockquote><pre>code</pre>' +
        '<table width="100%" cellpadding="4" style="border-collapse:collapse"><tr><td colspan="2" bgcolor="#eeeeee" style="border:1px solid #ccc;padding:4px 8px">c</td></tr></table>' +
        '<font color="red" face="Arial">f</font><br /><hr />',
    );
  });

  it('opens links in a new tab without referrer or opener', () => {
    expect(clean('<a href="https://example.com/x?a=1&amp;b=2">l</a>')).toBe(
      '<a href="https://example.com/x?a=1&amp;b=2" target="_blank" rel="noopener noreferrer nofollow">l</a>',
    );
    expect(clean('<a href="mailto:x@example.com" target="_self" rel="opener">m</a>')).toBe(
      '<a href="mailto:x@example.com" target="_blank" rel="noopener noreferrer nofollow">m</a>',
    );
  });

  it('keeps remote images but flags them, or blocks them on request', () => {
    const r = sanitizeMailHtml('<img src="https://t.example/p.gif" width="1">');
    expect(r).toEqual({ html: '<img width="1" src="https://t.example/p.gif" />', hasRemoteImages: true, referencedContentIds: [] });
    const b = sanitizeMailHtml('<img src="http://t.example/p.gif">', { remoteImages: 'block' });
    expect(b.html).toBe('<img data-remote-src="http://t.example/p.gif" />');
    expect(b.hasRemoteImages).toBe(true);
    expect(sanitizeMailHtml('<img data-remote-src="javascript:alert(1)">').html).toBe('<img />');
  });

  it('keeps cid: images of known attachments only and reports them', () => {
    const r = sanitizeMailHtml('<img src="cid:a@x"><img src="CID:%3Cb@x%3E"><img src="cid:evil@x">', { contentIds: ['a@x', 'B@x'] });
    expect(r.html).toBe('<img src="cid:a@x" /><img src="cid:b@x" /><img />');
    expect(r.referencedContentIds).toEqual(['a@x', 'b@x']);
    expect(sanitizeMailHtml('<img src="cid:any@x">').html).toBe('<img src="cid:any@x" />');
  });

  it('keeps small data: images of raster types', () => {
    expect(clean('<img src="data:image/png;base64,iVBORw0KGgo=">')).toBe('<img src="data:image/png;base64,iVBORw0KGgo=" />');
  });

  it('survives malformed markup', () => {
    expect(clean('<p><b>unclosed <i>tags</p>')).toBe('<p><b>unclosed <i>tags</i></b></p>');
    expect(clean('<<script>script>alert(1)<</script>/script>')).not.toMatch(/<script/i);
  });
});

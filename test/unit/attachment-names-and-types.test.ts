import { describe, expect, it } from 'vitest';
import { sanitizeFilename } from '@parley/api/attachments/sanitize-filename.ts';
import { isInlineSafe, sniffContentType } from '@parley/api/attachments/sniff-content-type.ts';
import { contentDisposition } from '@parley/api/attachments/http-routes.ts';

describe('sanitizeFilename', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\report.pdf', 'report.pdf'],
    ['in\u202Egnp.exe', 'ingnp.exe'],
    ['a\u0000b\nc.txt', 'abc.txt'],
    ['what?<>:"|*.txt', 'what_______.txt'],
    ['.htaccess', 'htaccess'],
    ['trailing. . ', 'trailing'],
    ['', 'attachment'],
    ['...', 'attachment'],
    ['Cafe\u0301.txt', 'Café.txt'],
  ])('%j → %j', (raw, expected) => expect(sanitizeFilename(raw)).toBe(expected));

  it('cuts long names to 200 UTF-8 bytes and keeps the extension', () => {
    const name = sanitizeFilename(`${'ж'.repeat(300)}.docx`);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200);
    expect(name.endsWith('.docx')).toBe(true);
    expect(name.startsWith('жж')).toBe(true);
  });
});

describe('sniffContentType', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  it('believes the bytes over the declaration', () => {
    expect(sniffContentType(png, 'text/html')).toBe('image/png');
    expect(sniffContentType(Buffer.from('%PDF-1.7\n'), 'application/octet-stream')).toBe('application/pdf');
    expect(sniffContentType(Buffer.from('GIF89a....'), null)).toBe('image/gif');
  });
  it('never records markup as an image', () => {
    expect(sniffContentType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'), 'image/png')).toBe('image/svg+xml');
    expect(sniffContentType(Buffer.from('  <!doctype html><p>x'), 'image/jpeg')).toBe('text/html');
    expect(sniffContentType(Buffer.from('not really a jpeg'), 'image/jpeg')).toBe('application/octet-stream');
  });
  it('keeps harmless well-formed declarations and zip-based office types', () => {
    expect(sniffContentType(Buffer.from('a,b\n1,2'), 'text/csv; charset=utf-8')).toBe('text/csv');
    expect(sniffContentType(Buffer.from('PK\u0003\u0004rest'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'))
      .toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(sniffContentType(Buffer.from('PK\u0003\u0004rest'), 'text/plain')).toBe('application/zip');
    expect(sniffContentType(Buffer.from('x'), 'bogus')).toBe('application/octet-stream');
    expect(sniffContentType(Buffer.from('x'), 'application/javascript')).toBe('application/octet-stream');
  });
  it('shows only raster images inline', () => {
    expect(isInlineSafe('image/png')).toBe(true);
    expect(isInlineSafe('image/svg+xml')).toBe(false);
    expect(isInlineSafe('text/html')).toBe(false);
  });
});

it('contentDisposition gives an ASCII fallback and the UTF-8 name', () => {
  expect(contentDisposition('attachment', 'Отчёт (1).pdf')).toBe(`attachment; filename="_____ (1).pdf"; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%20%281%29.pdf`);
});

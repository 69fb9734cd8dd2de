import type { TestApi } from './api.ts';

export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082', 'hex');

export interface UploadFile { name: string; content: Buffer | string; type?: string }

/** POST /attachments as `token` (Bearer); the parsed JSON and the status. */
export async function upload(api: TestApi, token: string | null, files: UploadFile[], headers: Record<string, string> = {}) {
  const form = new FormData();
  for (const f of files) form.append('file', new Blob([new Uint8Array(typeof f.content === 'string' ? Buffer.from(f.content) : f.content)], { type: f.type ?? 'application/octet-stream' }), f.name);
  const res = await fetch(new URL('/attachments', api.url), {
    method: 'POST', body: form, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
  const body = await res.json() as { uploads?: { id: string; filename: string; contentType: string; size: number }[]; errors?: { message: string; extensions: { code: string } }[] };
  return { status: res.status, body, uploads: body.uploads ?? [] };
}

/** Uploads one file and returns its id (fails on anything but 201). */
export async function uploadOne(api: TestApi, token: string, file: UploadFile): Promise<string> {
  const r = await upload(api, token, [file]);
  if (r.status !== 201) throw new Error(`upload failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.uploads[0].id;
}

/** GET /attachments/:id as `token`. */
export function download(api: TestApi, token: string | null, id: string) {
  return fetch(new URL(`/attachments/${id}`, api.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

// Browser side of the guest form's proof of work: find a decimal counter such that
// SHA-256("<challenge>:<counter>") starts with `difficulty` zero bits (the API's
// customers/proof-of-work.ts checks it). WebCrypto digests are asynchronous, so they are
// computed in batches in parallel; the page stays responsive and the loop can be aborted.

function leadingZeroBits(digest: Uint8Array): number {
	let bits = 0;
	for (const byte of digest) {
		if (byte === 0) {
			bits += 8;
			continue;
		}
		return bits + Math.clz32(byte) - 24;
	}
	return bits;
}

const BATCH = 256;

export async function solveProofOfWork(challenge: string, difficulty: number, signal?: AbortSignal): Promise<string> {
	const encoder = new TextEncoder();
	for (let start = 0; ; start += BATCH) {
		if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
		const digests = await Promise.all(
			Array.from({ length: BATCH }, (_, i) => crypto.subtle.digest('SHA-256', encoder.encode(`${challenge}:${start + i}`)))
		);
		const hit = digests.findIndex((d) => leadingZeroBits(new Uint8Array(d)) >= difficulty);
		if (hit >= 0) return String(start + hit);
	}
}

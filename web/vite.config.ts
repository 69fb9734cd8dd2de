import { defineConfig } from 'vite';
import { sveltekit } from '@sveltejs/kit/vite';
import adapter from '@sveltejs/adapter-node';

export default defineConfig({
	plugins: [
		sveltekit({
			adapter: adapter({ out: 'build' }),
			// Kit's own origin check compares against a scheme it must guess (adapter-node assumes
			// https without PROTOCOL_HEADER), which breaks plain-http local runs and per-tenant hosts.
			// hooks.server.ts does the same check scheme-agnostically (Origin host === Host).
			csrf: { trustedOrigins: ['*'] },
			// Stylesheets up to 10 KiB (every one here) go inline into the page's <head>: no
			// render-blocking CSS requests before the first paint (test/bench/web-render.bench.ts)
			inlineStyleThreshold: 10 * 1024
		})
	]
});

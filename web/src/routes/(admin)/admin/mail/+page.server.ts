import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

// /admin/mail is the section's entry: its first page.
export const load: PageServerLoad = () => redirect(307, '/admin/mail/accounts');

import { z } from 'zod';

/** The password policy of every account (agents, customers; sign-up, reset, admin-created). */
export const passwordSchema = z.string().min(8, 'at least 8 characters').max(200);

// `use:enhance` for the admin mail forms: a failed submission keeps what was typed (the server's
// field errors show next to it); a successful one (redirect) empties the form for the next entry.
import type { SubmitFunction } from '$app/forms';

export const keepValues: SubmitFunction = () => async ({ result, update, formElement }) => {
	await update({ reset: false });
	if (result.type === 'redirect' || result.type === 'success') formElement.reset();
};

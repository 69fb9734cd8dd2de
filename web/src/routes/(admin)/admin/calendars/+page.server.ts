import { redirect } from '@sveltejs/kit';
import {
	ADMIN_CALENDARS,
	DELETE_CALENDAR,
	SAVE_CALENDAR,
	WEEKDAYS,
	type AdminCalendarsResult,
	type CalendarInput,
	type DeleteCalendarResult,
	type SaveCalendarResult
} from '#lib/graphql/adminAutomation.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, text } from '#lib/server/admin.ts';
import { fieldFailure, parseHolidays, parseIntervals } from '#lib/server/admin-automation.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const data = await graphqlRequest<AdminCalendarsResult>(event, ADMIN_CALENDARS);
	const editId = event.url.searchParams.get('edit');
	return { ...data, editing: data.calendars.find((c) => c.id === editId) ?? null };
};

export const actions: Actions = {
	save: async (event) => {
		const data = await event.request.formData();
		const input: CalendarInput = { name: text(data, 'name'), timeZone: text(data, 'timeZone'), week: {}, holidays: [] };
		for (const day of WEEKDAYS) {
			const parsed = parseIntervals(text(data, `week.${day}`));
			if ('error' in parsed) return fieldFailure('calendar', `week.${day}`, parsed.error, data);
			if (parsed.length) input.week[day] = parsed;
		}
		const holidays = parseHolidays(text(data, 'holidays'));
		if ('error' in holidays) return fieldFailure('calendar', 'holidays', holidays.error, data);
		input.holidays = holidays;
		const id = text(data, 'id');
		if (id) input.id = id;
		const res = await graphqlRequest<{ saveCalendar: SaveCalendarResult }>(event, SAVE_CALENDAR, { input });
		const failure = adminFailure('calendar', res.saveCalendar, data);
		if (failure) return failure;
		redirect(303, '/admin/calendars?saved=1');
	},
	delete: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<{ deleteCalendar: DeleteCalendarResult }>(event, DELETE_CALENDAR, { id: text(data, 'id') });
		const failure = adminFailure('delete', res.deleteCalendar);
		if (failure) return failure;
		redirect(303, '/admin/calendars?deleted=1');
	}
};

// Feature-area catalogues, merged over the core ones (en.ts, de.ts, ru.ts, ro.ts).
import live from './live.ts';
import attachments from './attachments.ts';
import workspace from './workspace.ts';
import portal from './portal.ts';
import adminMail from './adminMail.ts';
import adminAutomation from './adminAutomation.ts';
import billing from './billing.ts';
import analytics from './analytics.ts';
import thread from './thread.ts';

const all = [live, attachments, workspace, portal, adminMail, adminAutomation, billing, analytics, thread];

function merged<L extends 'en' | 'de' | 'ru' | 'ro'>(locale: L) {
	return Object.assign({}, ...all.map((area) => area[locale]));
}

export const areaMessages = {
	en: {
		...live.en,
		...attachments.en,
		...workspace.en,
		...portal.en,
		...adminMail.en,
		...adminAutomation.en,
		...billing.en,
		...analytics.en,
		...thread.en
	},
	de: merged('de'),
	ru: merged('ru'),
	ro: merged('ro')
};

export type AreaKey = keyof typeof areaMessages.en;

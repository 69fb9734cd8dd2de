import { defineArea } from './define.ts';

// Long threads in the agent ticket view: the newest articles are shown, earlier ones on demand.
export default defineArea({
	en: {
		'thread.earlier': { one: '{count} earlier article is not shown', other: '{count} earlier articles are not shown' },
		'thread.showMore': { one: 'Show {count} earlier article', other: 'Show {count} earlier articles' },
		'thread.showAll': { one: 'Show the earlier article', other: 'Show all {count} earlier articles' },
		'thread.loading': 'Loading earlier articles…',
		'thread.permalink': 'Link to this article'
	},
	de: {
		'thread.earlier': { one: '{count} früherer Beitrag wird nicht angezeigt', other: '{count} frühere Beiträge werden nicht angezeigt' },
		'thread.showMore': { one: '{count} früheren Beitrag anzeigen', other: '{count} frühere Beiträge anzeigen' },
		'thread.showAll': { one: 'Den früheren Beitrag anzeigen', other: 'Alle {count} früheren Beiträge anzeigen' },
		'thread.loading': 'Frühere Beiträge werden geladen…',
		'thread.permalink': 'Link zu diesem Beitrag'
	},
	ru: {
		'thread.earlier': {
			one: '{count} более раннее сообщение не показано',
			few: '{count} более ранних сообщения не показаны',
			many: '{count} более ранних сообщений не показаны',
			other: '{count} более раннего сообщения не показаны'
		},
		'thread.showMore': {
			one: 'Показать {count} более раннее сообщение',
			few: 'Показать {count} более ранних сообщения',
			many: 'Показать {count} более ранних сообщений',
			other: 'Показать {count} более раннего сообщения'
		},
		'thread.showAll': {
			one: 'Показать более раннее сообщение',
			few: 'Показать все {count} более ранних сообщения',
			many: 'Показать все {count} более ранних сообщений',
			other: 'Показать все {count} более раннего сообщения'
		},
		'thread.loading': 'Загрузка более ранних сообщений…',
		'thread.permalink': 'Ссылка на это сообщение'
	},
	ro: {
		'thread.earlier': {
			one: '{count} articol anterior nu este afișat',
			few: '{count} articole anterioare nu sunt afișate',
			other: '{count} de articole anterioare nu sunt afișate'
		},
		'thread.showMore': {
			one: 'Afișează {count} articol anterior',
			few: 'Afișează {count} articole anterioare',
			other: 'Afișează {count} de articole anterioare'
		},
		'thread.showAll': {
			one: 'Afișează articolul anterior',
			few: 'Afișează toate cele {count} articole anterioare',
			other: 'Afișează toate cele {count} de articole anterioare'
		},
		'thread.loading': 'Se încarcă articolele anterioare…',
		'thread.permalink': 'Link către acest articol'
	}
});

import { defineArea } from './define.ts';

export default defineArea({
	en: {
		'attachments.label': 'Attach files',
		'attachments.hint': 'Optional. You can choose several files.',
		'attachments.download': 'Download {name} ({size})',
		'attachments.err.fileTooLarge': 'A file is larger than {max}. Choose a smaller one.',
		'attachments.err.requestTooLarge': 'The files together are larger than {max}. Send fewer at a time.',
		'attachments.err.tooMany': { one: 'At most {count} file per message.', other: 'At most {count} files per message.' },
		'attachments.err.failed': 'The files could not be uploaded. Please try again.',
		'attachments.err.unusable': 'An attached file expired or was already sent. Choose it again.',
		'attachments.chooseAgain': 'Your text was kept; please choose the files again.'
	},
	de: {
		'attachments.label': 'Dateien anhängen',
		'attachments.hint': 'Optional. Sie können mehrere Dateien auswählen.',
		'attachments.download': '{name} herunterladen ({size})',
		'attachments.err.fileTooLarge': 'Eine Datei ist größer als {max}. Wählen Sie eine kleinere.',
		'attachments.err.requestTooLarge': 'Die Dateien sind zusammen größer als {max}. Senden Sie weniger auf einmal.',
		'attachments.err.tooMany': { one: 'Höchstens {count} Datei pro Nachricht.', other: 'Höchstens {count} Dateien pro Nachricht.' },
		'attachments.err.failed': 'Die Dateien konnten nicht hochgeladen werden. Bitte versuchen Sie es erneut.',
		'attachments.err.unusable': 'Eine angehängte Datei ist abgelaufen oder wurde schon gesendet. Wählen Sie sie erneut.',
		'attachments.chooseAgain': 'Ihr Text bleibt erhalten; bitte wählen Sie die Dateien erneut.'
	},
	ru: {
		'attachments.label': 'Прикрепить файлы',
		'attachments.hint': 'Необязательно. Можно выбрать несколько файлов.',
		'attachments.download': 'Скачать {name} ({size})',
		'attachments.err.fileTooLarge': 'Файл больше {max}. Выберите файл поменьше.',
		'attachments.err.requestTooLarge': 'Файлы вместе больше {max}. Отправьте меньше за раз.',
		'attachments.err.tooMany': {
			one: 'Не более {count} файла в сообщении.',
			few: 'Не более {count} файлов в сообщении.',
			many: 'Не более {count} файлов в сообщении.',
			other: 'Не более {count} файла в сообщении.'
		},
		'attachments.err.failed': 'Не удалось загрузить файлы. Попробуйте ещё раз.',
		'attachments.err.unusable': 'Прикреплённый файл устарел или уже отправлен. Выберите его снова.',
		'attachments.chooseAgain': 'Текст сохранён; выберите файлы ещё раз.'
	},
	ro: {
		'attachments.label': 'Atașați fișiere',
		'attachments.hint': 'Opțional. Puteți alege mai multe fișiere.',
		'attachments.download': 'Descărcați {name} ({size})',
		'attachments.err.fileTooLarge': 'Un fișier este mai mare de {max}. Alegeți unul mai mic.',
		'attachments.err.requestTooLarge': 'Fișierele au împreună mai mult de {max}. Trimiteți mai puține odată.',
		'attachments.err.tooMany': {
			one: 'Cel mult {count} fișier per mesaj.',
			few: 'Cel mult {count} fișiere per mesaj.',
			other: 'Cel mult {count} de fișiere per mesaj.'
		},
		'attachments.err.failed': 'Fișierele nu au putut fi încărcate. Încercați din nou.',
		'attachments.err.unusable': 'Un fișier atașat a expirat sau a fost deja trimis. Alegeți-l din nou.',
		'attachments.chooseAgain': 'Textul a fost păstrat; alegeți din nou fișierele.'
	}
});

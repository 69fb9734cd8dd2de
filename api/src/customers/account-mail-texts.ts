// The account mails (verification, "you have an account", password reset) in the recipient's
// language: the account's locale, else the tenant's default, else English.
export type MailLocale = 'en' | 'de' | 'ru' | 'ro';
type Text = { subject: string; body: string };
type Texts = { verify: Text; existing: Text; reset: Text };

const TEXTS: Record<MailLocale, Texts> = {
  en: {
    verify: {
      subject: 'Confirm your e-mail address for {tenant}',
      body: 'Hello {name},\n\nplease confirm your e-mail address to finish creating your account in the {tenant} customer portal:\n\n{link}\n\nThe link works once and for 48 hours. If you did not sign up, ignore this mail; no account will be usable without the confirmation.',
    },
    existing: {
      subject: 'Your account at {tenant}',
      body: 'Hello {name},\n\nsomeone (maybe you) tried to sign up at {tenant} with this e-mail address. You have an account already, so nothing was changed.\n\nIf you forgot your password, set a new one here (the link works once and for one hour):\n\n{link}\n\nIf it was not you, ignore this mail.',
    },
    reset: {
      subject: 'Reset your password for {tenant}',
      body: 'Hello {name},\n\nwe received a request to reset your password at {tenant}. Choose a new one here:\n\n{link}\n\nThe link works once and for one hour. Setting a new password signs you out everywhere. If you did not ask for this, ignore this mail; your password stays as it is.',
    },
  },
  de: {
    verify: {
      subject: 'Bestätigen Sie Ihre E-Mail-Adresse für {tenant}',
      body: 'Hallo {name},\n\nbitte bestätigen Sie Ihre E-Mail-Adresse, um Ihr Konto im Kundenportal von {tenant} fertig einzurichten:\n\n{link}\n\nDer Link funktioniert einmal und 48 Stunden lang. Wenn Sie sich nicht registriert haben, ignorieren Sie diese E-Mail; ohne Bestätigung ist kein Konto nutzbar.',
    },
    existing: {
      subject: 'Ihr Konto bei {tenant}',
      body: 'Hallo {name},\n\njemand (vielleicht Sie) wollte sich bei {tenant} mit dieser E-Mail-Adresse registrieren. Sie haben bereits ein Konto, daher wurde nichts geändert.\n\nFalls Sie Ihr Passwort vergessen haben, setzen Sie hier ein neues (der Link funktioniert einmal und eine Stunde lang):\n\n{link}\n\nWenn Sie es nicht waren, ignorieren Sie diese E-Mail.',
    },
    reset: {
      subject: 'Passwort für {tenant} zurücksetzen',
      body: 'Hallo {name},\n\nwir haben eine Anfrage erhalten, Ihr Passwort bei {tenant} zurückzusetzen. Wählen Sie hier ein neues:\n\n{link}\n\nDer Link funktioniert einmal und eine Stunde lang. Ein neues Passwort meldet Sie überall ab. Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.',
    },
  },
  ru: {
    verify: {
      subject: 'Подтвердите адрес эл. почты для {tenant}',
      body: 'Здравствуйте, {name}!\n\nПодтвердите, пожалуйста, адрес эл. почты, чтобы завершить создание учётной записи на клиентском портале {tenant}:\n\n{link}\n\nСсылка действует один раз в течение 48 часов. Если вы не регистрировались, просто проигнорируйте это письмо: без подтверждения учётная запись не работает.',
    },
    existing: {
      subject: 'Ваша учётная запись в {tenant}',
      body: 'Здравствуйте, {name}!\n\nКто-то (возможно, вы) пытался зарегистрироваться в {tenant} с этим адресом эл. почты. У вас уже есть учётная запись, поэтому ничего не изменилось.\n\nЕсли вы забыли пароль, задайте новый здесь (ссылка действует один раз в течение часа):\n\n{link}\n\nЕсли это были не вы, проигнорируйте это письмо.',
    },
    reset: {
      subject: 'Сброс пароля для {tenant}',
      body: 'Здравствуйте, {name}!\n\nМы получили запрос на сброс вашего пароля в {tenant}. Выберите новый пароль здесь:\n\n{link}\n\nСсылка действует один раз в течение часа. После смены пароля все ваши сеансы будут завершены. Если вы не запрашивали сброс, проигнорируйте это письмо: пароль останется прежним.',
    },
  },
  ro: {
    verify: {
      subject: 'Confirmați adresa de e-mail pentru {tenant}',
      body: 'Bună ziua, {name},\n\nvă rugăm să confirmați adresa de e-mail pentru a finaliza crearea contului în portalul pentru clienți {tenant}:\n\n{link}\n\nLinkul funcționează o singură dată, timp de 48 de ore. Dacă nu v-ați înregistrat, ignorați acest e-mail; fără confirmare, contul nu poate fi folosit.',
    },
    existing: {
      subject: 'Contul dvs. la {tenant}',
      body: 'Bună ziua, {name},\n\ncineva (poate chiar dvs.) a încercat să se înregistreze la {tenant} cu această adresă de e-mail. Aveți deja un cont, așa că nu s-a schimbat nimic.\n\nDacă ați uitat parola, setați una nouă aici (linkul funcționează o singură dată, timp de o oră):\n\n{link}\n\nDacă nu ați fost dvs., ignorați acest e-mail.',
    },
    reset: {
      subject: 'Resetați parola pentru {tenant}',
      body: 'Bună ziua, {name},\n\nam primit o cerere de resetare a parolei dvs. la {tenant}. Alegeți una nouă aici:\n\n{link}\n\nLinkul funcționează o singură dată, timp de o oră. Setarea unei parole noi vă deconectează peste tot. Dacă nu ați cerut acest lucru, ignorați e-mailul; parola rămâne neschimbată.',
    },
  },
};

export function mailLocale(...candidates: Array<string | null | undefined>): MailLocale {
  for (const c of candidates) {
    const base = c?.toLowerCase().split(/[-_]/)[0];
    if (base === 'en' || base === 'de' || base === 'ru' || base === 'ro') return base;
  }
  return 'en';
}

/** The subject and body of an account mail, placeholders filled ({tenant}, {name}, {link}). */
export function accountMailText(kind: keyof Texts, locale: MailLocale, values: { tenant: string; name: string; link: string }): Text {
  const fill = (s: string) => s.replace(/\{(tenant|name|link)\}/g, (_, k: 'tenant' | 'name' | 'link') => values[k]);
  const t = TEXTS[locale][kind];
  return { subject: fill(t.subject), body: fill(t.body) };
}

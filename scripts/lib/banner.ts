// What `./parley up` prints once everything answers.
export type BannerInfo = {
  webUrl?: string;
  apiUrl?: string;
  providerToken: string;
  dataDir: string;
  database: string;
  redis: string;
  detached: boolean;
  skipped: string[];
};

export const DEMO_LOGINS = [
  { email: 'admin@acme.test', role: 'tenant admin' },
  { email: 'agent@acme.test', role: 'agent' },
  { email: 'customer@acme.test', role: 'customer' },
];
export const DEMO_PASSWORD = 'demo';

export function banner(info: BannerInfo): string {
  const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
  const lines = [
    '',
    bold('Parley is up.'),
    '',
    info.webUrl ? `  Web app        ${info.webUrl}` : '  Web app        (not started)',
    info.apiUrl ? `  GraphQL API    ${info.apiUrl}` : '  GraphQL API    (not started)',
    '',
    `  Demo logins (password "${DEMO_PASSWORD}"):`,
    ...DEMO_LOGINS.map(({ email, role }) => `    ${email.padEnd(20)} ${role}`),
    '',
    `  Provider token ${info.providerToken}`,
    '',
    `  Data           ${info.dataDir}`,
    `  PostgreSQL     ${info.database}`,
    `  Redis          ${info.redis}`,
    ...(info.skipped.length ? ['', `  Not started (entry file missing): ${info.skipped.join(', ')}`] : []),
    '',
    info.detached ? '  Running in the background: ./parley status, ./parley stop' : '  Ctrl-C stops everything (or ./parley stop from another shell).',
    '',
  ];
  return lines.join('\n');
}

/**
 * The privacy policy of one Alongside deployment (issue 12, item 3). Alongside is deployed by an organisation against
 * its own worker, so the policy is a template: the contact and the token and invitation lifetimes come from that
 * organisation's configuration (the `[vars]` of its wrangler.toml; see extension/build/listing-kit.ts), everything
 * else is fixed because it is what the code does. Every sentence here must stay true of the code: when a route, a
 * table or a storage item changes, change this text with it (README "Security and privacy" says the same things).
 */

export interface PrivacyContact {
  /** The organisation running the server, e.g. "Acme Mentoring Ltd". */
  organisation: string;
  /** Where people write about their data. */
  email: string;
  /** A postal address or a web page with the organisation's contact details. */
  address: string;
}

export interface PrivacyPolicyInput {
  contact: PrivacyContact;
  /** Days a sign-in (bearer token) lives: TOKEN_TTL_DAYS. */
  tokenTtlDays: number;
  /** Days an invitation link stays redeemable: INVITATION_TTL_DAYS. */
  invitationTtlDays: number;
}

/** The names of the configuration variables, the same for wrangler.toml `[vars]` and the environment. */
export const PRIVACY_VARS = {
  organisation: 'PRIVACY_CONTACT_ORGANISATION',
  email: 'PRIVACY_CONTACT_EMAIL',
  address: 'PRIVACY_CONTACT_ADDRESS',
} as const satisfies Record<keyof PrivacyContact, string>;

export class PrivacyConfigError extends Error {}

/**
 * The contact from configuration variables, or a PrivacyConfigError that names every missing or malformed one:
 * a policy without a way to reach the organisation is not one a store accepts.
 */
export function privacyContactFrom(vars: Record<string, string | undefined>): PrivacyContact {
  const problems: string[] = [];
  const read = (key: keyof PrivacyContact) => {
    const value = vars[PRIVACY_VARS[key]]?.trim() ?? '';
    if (!value) problems.push(`${PRIVACY_VARS[key]} is not set`);
    return value;
  };
  const contact = { organisation: read('organisation'), email: read('email'), address: read('address') };
  if (contact.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(contact.email)) problems.push(`${PRIVACY_VARS.email} is not an email address: ${contact.email}`);
  if (problems.length > 0) {
    throw new PrivacyConfigError(
      `The privacy policy needs the organisation's contact details: ${problems.join('; ')}. ` +
        `Set them in wrangler.toml under [vars] (the worker serves the policy at /privacy from the same values), ` +
        `or as environment variables of the same names.`,
    );
  }
  return contact;
}

type Block = { kind: 'p'; text: string } | { kind: 'ul'; items: string[] };
interface Section {
  heading: string;
  blocks: Block[];
}

const p = (text: string): Block => ({ kind: 'p', text });
const ul = (...items: string[]): Block => ({ kind: 'ul', items });

/** The policy as headed sections of plain text, rendered to Markdown (store/PRIVACY.md) or HTML (/privacy). */
export function privacyPolicySections({ contact, tokenTtlDays, invitationTtlDays }: PrivacyPolicyInput): { title: string; sections: Section[] } {
  const org = contact.organisation;
  return {
    title: `Alongside privacy policy (${org})`,
    sections: [
      {
        heading: 'Who runs it',
        blocks: [
          p(
            `Alongside is a mentorship companion: a browser extension that shows a mentor–mentee pair's goals, agenda and notes on their video calls, and a server that keeps them. ${org} runs that server for its mentoring programme, in its own Cloudflare account, and is responsible for the data on it. The extension talks only to the server you sign in to with ${org}'s invitation link.`,
          ),
        ],
      },
      {
        heading: 'What is stored, and where',
        blocks: [
          p(`On ${org}'s server (a Cloudflare D1 database):`),
          ul(
            'your profile: name, email, role (mentor, mentee or admin), time zone, working hours, skills, interests, mentoring goals and how many pairs a mentor can take;',
            'your pairs, their goals (with every change to their progress) and milestones, agenda items, and the entries you write: notes, actions, decisions and questions, each either shared with your partner or private to you;',
            'the meetings the extension logs: the platform, the meeting code, when the call started and ended, and how it ended;',
            'feedback after meetings (a rating from 1 to 5 and a comment), and scheduled check-ins and proposed times;',
            'invitations and sign-in sessions: when each session began, which invitation it came from and who issued it, and a short label of the browser and system it signed in from (such as “Chrome on macOS”, from the User-Agent header, which is not kept); the sign-in token only as a hash;',
            'the audit log: invitations, sign-ins, changes to people and pairs, exports, erasures and settings changes, with who and when;',
            'for end-to-end encryption, the public keys of your devices, keys encrypted for them and an encrypted key backup, which the server cannot read;',
            'for 24 hours, the status and the id of each write, so that a retried request is not applied twice (never its content).',
          ),
          p(
            "While a pair's pages are open, a live room on the same server (a Cloudflare Durable Object) tells them that something changed and shows the partner that you have the call open. It passes no note text; the pages read the change from the database.",
          ),
          p('In your browser, in the extension’s own storage:'),
          ul(
            'the sign-in token, in the extension’s IndexedDB, which call pages cannot read;',
            'your changes until the server has them (the outbox), and changes it could not read, set aside rather than dropped;',
            'copies of your pairs, their entries, goals and check-ins, so the overlay and the side panel work offline;',
            'your settings: the server’s address, self-hosted Jitsi sites you added, reminders on or off, and where the overlay sits on each platform;',
            'for diagnostics, which signals the call-page detection missed on each platform; and, until the browser closes, which tabs have a call open.',
          ),
          p(
            'On a call page the extension reads the page’s address (for the meeting code) and its structure and labels, to tell whether you are in the call. It sends the server only the meeting code and when the call started and ended: never audio, video, chat, or who else is on the call. Your notes are shown in a frame of the extension that the call page cannot read.',
          ),
          p('The admin view keeps an admin’s sign-in token in that browser tab only; it is gone when the tab closes.'),
        ],
      },
      {
        heading: 'Who can see what',
        blocks: [
          ul(
            'You and your partner see your pair’s goals, agenda, actions, decisions, questions and shared notes. A private note is seen only by the person who wrote it.',
            `${org}'s programme admins see the programme's people (their profiles) and pairs, meetings and their times, scheduled check-ins, goals' progress and status (a goal's title only where the mentee chose to show it to the programme), feedback ratings and comments, and how many entries of each kind a pair wrote: never the text of notes, actions, decisions, questions or agenda items. They read the audit log.`,
            'You see every session signed in to your account, with the invitation it came from, and can end any of them.',
            'Nobody outside the organisation sees anything: organisations on one server never see each other’s data.',
          ),
        ],
      },
      {
        heading: 'No telemetry, no third parties',
        blocks: [
          p(
            `The extension sends data to one place: ${org}'s server. There is no analytics, no crash reporting, no advertising, and nothing is sold or shared. Cloudflare hosts the server and its database for ${org} and processes the data only to run it. The server uses your IP address only to limit how many sign-in attempts come from it (Cloudflare's rate limiting), and does not store it.`,
          ),
        ],
      },
      {
        heading: 'How long data is kept',
        blocks: [
          ul(
            'Your data is kept while your account exists, unless you or an admin delete it sooner.',
            `A sign-in ends ${tokenTtlDays} days after it was made (or sooner, when you sign out or end it), and an invitation link can be used once, within ${invitationTtlDays} days.`,
            `${org} can choose to delete the notes of pairs that ended more than a number of days ago (off unless an admin turns it on); the side panel shows you the setting.`,
            'Deleting an entry or an agenda item erases its text at once; only a marker that it was deleted stays, so your other devices remove it too.',
            'Backups: Cloudflare D1 can restore the database to any minute of the last 30 days (Time Travel, always on). Deleted data stays in those backups until it is 30 days old; nobody can remove it from them sooner.',
          ),
        ],
      },
      {
        heading: 'Your data, your choice: export and deletion',
        blocks: [
          ul(
            'Export: in the side panel, “Export my data” downloads everything of yours as JSON, and each pair’s notes you can see as Markdown.',
            'Delete your account: in the side panel, after typing a confirmation. Your name, email and other personal details, your private notes and the entries you wrote are deleted from every table at once, and your pairs end. Only anonymous counts remain for the programme’s figures, and the audit log keeps its entries without your name.',
            `An admin of ${org} can erase a person in the same way, for example when you ask them to.`,
            'Removing the extension removes everything it stored in your browser.',
          ),
        ],
      },
      {
        heading: 'Contact',
        blocks: [
          p(`For anything about your data, or to ask for a copy, a correction or its deletion, contact ${org}:`),
          ul(`Email: ${contact.email}`, `Address: ${contact.address}`),
        ],
      },
    ],
  };
}

export function renderPrivacyMarkdown(input: PrivacyPolicyInput): string {
  const { title, sections } = privacyPolicySections(input);
  const lines = [`# ${title}`, ''];
  for (const section of sections) {
    lines.push(`## ${section.heading}`, '');
    for (const block of section.blocks) {
      if (block.kind === 'p') lines.push(block.text, '');
      else lines.push(...block.items.map((item) => `- ${item}`), '');
    }
  }
  return lines.join('\n');
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

/** The body of the /privacy page: the same sections, every configured value escaped. */
export function renderPrivacyHtmlBody(input: PrivacyPolicyInput): { title: string; body: string } {
  const { title, sections } = privacyPolicySections(input);
  const parts = [`<h1>${escapeHtml(title)}</h1>`];
  for (const section of sections) {
    parts.push(`<h2>${escapeHtml(section.heading)}</h2>`);
    for (const block of section.blocks) {
      if (block.kind === 'p') parts.push(`<p>${escapeHtml(block.text)}</p>`);
      else parts.push(`<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`);
    }
  }
  return { title, body: parts.join('\n') };
}

// The store listing kit (extension/build/listing-kit.ts) and the privacy policy it renders (shared/privacy/policy.ts).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ManifestLike, ROOT, SUMMARY_MAX, assembleKit, localiseManifest, privacyInput, renderListing, wranglerVars } from '../../extension/build/listing-kit.ts';
import { PrivacyConfigError, renderPrivacyHtmlBody, renderPrivacyMarkdown } from '../../shared/privacy/policy.ts';

const toml = (vars: string) => `name = "alongside"\n[vars]\nTOKEN_TTL_DAYS = "30"\nINVITATION_TTL_DAYS = "14"\n${vars}\n[assets]\ndirectory = "x"\n`;
const CONTACT = {
  PRIVACY_CONTACT_ORGANISATION: 'Acme Mentoring Ltd',
  PRIVACY_CONTACT_EMAIL: 'privacy@acme.example',
  PRIVACY_CONTACT_ADDRESS: '1 Example Street, Leeds LS1 1AA, United Kingdom',
};

describe('wrangler.toml [vars]', () => {
  it('reads the string variables of [vars] and nothing from other tables', () => {
    expect(wranglerVars(toml('# a comment\nPRIVACY_CONTACT_EMAIL = "a@b.example" # trailing'))).toEqual({
      TOKEN_TTL_DAYS: '30',
      INVITATION_TTL_DAYS: '14',
      PRIVACY_CONTACT_EMAIL: 'a@b.example',
    });
  });

  it('refuses a line it cannot read rather than skipping it', () => {
    expect(() => wranglerVars(toml('PRIVACY_CONTACT_EMAIL = 42'))).toThrow(/cannot read/);
  });

  it('the committed wrangler.toml declares the contact variables (empty until an organisation fills them in)', () => {
    const vars = wranglerVars(readFileSync(join(ROOT, 'wrangler.toml'), 'utf8'));
    expect(Object.keys(vars)).toEqual(expect.arrayContaining(Object.keys(CONTACT)));
  });
});

describe('the privacy policy', () => {
  it('names the organisation’s contact from the configuration, and its token and invitation lifetimes', () => {
    const md = renderPrivacyMarkdown(privacyInput(toml(''), CONTACT));
    expect(md).toContain('# Alongside privacy policy (Acme Mentoring Ltd)');
    expect(md).toContain('Email: privacy@acme.example');
    expect(md).toContain('Address: 1 Example Street, Leeds LS1 1AA, United Kingdom');
    expect(md).toContain('A sign-in ends 30 days after it was made');
    expect(md).toContain('an invitation link can be used once, within 14 days.');
    for (const heading of ['What is stored, and where', 'Who can see what', 'No telemetry, no third parties', 'How long data is kept', 'Your data, your choice: export and deletion', 'Contact']) {
      expect(md).toContain(`## ${heading}`);
    }
    expect(md).toMatch(/never the text of notes/);
    expect(md).toMatch(/last 30 days/);
  });

  it('environment variables override wrangler.toml', () => {
    const input = privacyInput(toml('PRIVACY_CONTACT_ORGANISATION = "From toml"\nPRIVACY_CONTACT_EMAIL = "toml@x.example"\nPRIVACY_CONTACT_ADDRESS = "https://x.example/contact"'), {
      PRIVACY_CONTACT_EMAIL: 'env@x.example',
      PRIVACY_CONTACT_ADDRESS: '',
    });
    expect(input.contact).toEqual({ organisation: 'From toml', email: 'env@x.example', address: 'https://x.example/contact' });
  });

  it('a missing contact is a clear error naming every missing variable and where to set it', () => {
    const attempt = () => privacyInput(toml('PRIVACY_CONTACT_ORGANISATION = ""'), { PRIVACY_CONTACT_EMAIL: 'not an email' });
    expect(attempt).toThrow(PrivacyConfigError);
    expect(attempt).toThrow(/PRIVACY_CONTACT_ORGANISATION is not set; PRIVACY_CONTACT_ADDRESS is not set; PRIVACY_CONTACT_EMAIL is not an email address/);
    expect(attempt).toThrow(/wrangler\.toml under \[vars\]/);
  });

  it('escapes configured values in the HTML page', () => {
    const { body } = renderPrivacyHtmlBody(privacyInput(toml(''), { ...CONTACT, PRIVACY_CONTACT_ORGANISATION: '<script>x</script> & Co' }));
    expect(body).not.toContain('<script>');
    expect(body).toContain('&lt;script&gt;x&lt;/script&gt; &amp; Co');
  });
});

describe('the listing', () => {
  const manifest: ManifestLike = {
    name: 'Alongside',
    description: 'Your mentorship goals, agenda and shared notes, right on the video call.',
    permissions: ['storage', 'alarms', 'scripting', 'activeTab', 'sidePanel'],
    optional_permissions: ['notifications'],
    host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    content_scripts: [{ matches: ['https://meet.google.com/*'] }],
  };

  it('justifies every permission and states the single purpose', () => {
    const listing = renderListing(manifest, manifest, 'https://example/privacy');
    for (const permission of [...(manifest.permissions ?? []), 'notifications', 'http://127.0.0.1/*', 'https://*/*']) expect(listing).toContain(`\`${permission}\`:`);
    expect(listing).toContain('## Single purpose');
    expect(listing).toContain('`https://meet.google.com/*`');
  });

  it('fails on a permission nobody justified, and on a summary over Chrome’s limit', () => {
    expect(() => renderListing({ ...manifest, permissions: ['tabs'] }, manifest, '')).toThrow(/No store justification for: tabs/);
    expect(() => renderListing({ ...manifest, description: 'x'.repeat(SUMMARY_MAX + 1) }, manifest, '')).toThrow(/132/);
  });

  it('resolves __MSG_ names from the messages, whatever their case, and refuses a name with no message', () => {
    const messages = { extName: { message: 'Alongside' }, extDescription: { message: 'Goals "and" notes' } };
    expect(localiseManifest({ name: '__MSG_extname__', description: '__MSG_extDescription__', x: ['__MSG_extName__ (beta)'] }, messages)).toEqual({
      name: 'Alongside',
      description: 'Goals "and" notes',
      x: ['Alongside (beta)'],
    });
    expect(() => localiseManifest({ name: '__MSG_missing__' }, messages)).toThrow(/__MSG_missing__/);
  });

  it.runIf(existsSync(join(ROOT, 'extension/.output/chrome-mv3/manifest.json')) && existsSync(join(ROOT, 'extension/.output/firefox-mv3/manifest.json')))(
    'assembles store/ from the built manifests and the committed screenshots',
    () => {
      const out = mkdtempSync(join(tmpdir(), 'alongside-kit-'));
      try {
        const files = assembleKit(CONTACT, out);
        expect(files.slice(0, 2)).toEqual(['listing.md', 'PRIVACY.md']);
        expect(readdirSync(join(out, 'screenshots')).length).toBeGreaterThanOrEqual(4);
        expect(readFileSync(join(out, 'PRIVACY.md'), 'utf8')).toContain('privacy@acme.example');
        // The manifest's __MSG_ names are resolved from _locales, as the stores show them.
        const listing = readFileSync(join(out, 'listing.md'), 'utf8');
        expect(listing).toMatch(/^# Alongside: store listing/);
        expect(listing).toContain('Your mentorship goals, agenda and shared notes, right on the video call.');
        expect(listing).not.toContain('__MSG_');
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
  );
});

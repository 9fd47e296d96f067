import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Invitation, User } from '../../../../shared/schemas/people.ts';
import { type ApiFailure, api, call, idempotencyKey, toFailure } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { CopyField } from '../components/CopyField.tsx';
import { EraseDialog } from '../components/EraseDialog.tsx';
import { Link } from '../components/Link.tsx';
import { EmptyState, ErrorMessage, Loading } from '../components/Status.tsx';
import { toast } from '../components/Toasts.tsx';
import { formatDateTime, formatMinute, roleLabel } from '../format.ts';
import { useAsync, useTitle } from '../hooks.ts';
import { useQueryState } from '../router.ts';
import { CsvImport } from './CsvImport.tsx';
import { PersonForm } from './PersonForm.tsx';

type Panel = 'none' | 'add' | 'import';
const ROLES = ['admin', 'mentor', 'mentee'] as const;

/** Everyone in the programme: add (one or by CSV), invite, revoke, erase. */
export function PeoplePage({ me }: { me: User }) {
  useTitle('People');
  const [role, setRole] = useQueryState('role', 'all');
  const [search, setSearch] = useQueryState('q', '');
  const roleFilter = ROLES.find((r) => r === role);
  const people = useAsync(() => call(api.admin.users.$get({ query: roleFilter ? { role: roleFilter } : {} })), [roleFilter]);
  const [panel, setPanel] = useState<Panel>('none');
  const [invitation, setInvitation] = useState<{ user: User; invitation: Invitation } | undefined>();
  const [inviting, setInviting] = useState<string | undefined>();
  const [revoking, setRevoking] = useState<User | undefined>();
  const [busy, setBusy] = useState(false);
  const [rowError, setRowError] = useState<ApiFailure | undefined>();
  const [reinviting, setReinviting] = useState<{ user: User; activeSessions: number; lastSignInAt: string | null } | undefined>();
  const [erasing, setErasing] = useState<User | undefined>();
  const [erasingBusy, setErasingBusy] = useState(false);
  const [eraseError, setEraseError] = useState<ApiFailure | undefined>();

  // Bring the new link into view and focus, so keyboard users can copy it straight away.
  const invitationBox = useRef<HTMLElement>(null);
  useEffect(() => {
    if (invitation) invitationBox.current?.focus();
  }, [invitation]);

  const rows = useMemo(() => {
    const needle = search.trim().toLocaleLowerCase();
    return (people.data?.users ?? [])
      .filter((u) => !needle || u.name.toLocaleLowerCase().includes(needle) || u.email.toLocaleLowerCase().includes(needle))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [people.data, search]);

  /**
   * Someone already signed in gets a re-invitation only with a reason (issue 8): it is audited, and they are shown
   * the sign-in it leads to. The status is asked first so the form says so before anything is issued.
   */
  const invite = async (user: User, reason?: string) => {
    setInviting(user.id);
    setRowError(undefined);
    try {
      if (reason === undefined) {
        const status = await call(api.admin.users[':id']['invitation-status'].$get({ param: { id: user.id } }));
        if (status.reinvitation) {
          setReinviting({ user, activeSessions: status.activeSessions, lastSignInAt: status.lastSignInAt });
          return;
        }
      }
      const json = reason === undefined ? { userId: user.id } : { userId: user.id, reason };
      const { invitation } = await call(api.admin.invitations.$post({ json }, { headers: idempotencyKey() }));
      setReinviting(undefined);
      setInvitation({ user, invitation });
    } catch (e) {
      const failure = toFailure(e);
      // Signed in since the status was read: ask for the reason now.
      if (failure.fieldErrors().reason && reason === undefined) setReinviting({ user, activeSessions: 1, lastSignInAt: null });
      else setRowError(failure);
    } finally {
      setInviting(undefined);
    }
  };

  const revoke = async (user: User) => {
    setBusy(true);
    setRowError(undefined);
    try {
      await call(api.admin.users[':id'].revoke.$post({ param: { id: user.id } }, { headers: idempotencyKey() }));
      toast(`${user.name} can no longer sign in`);
      if (invitation?.user.id === user.id) setInvitation(undefined);
      await people.reload();
    } catch (e) {
      setRowError(toFailure(e));
    } finally {
      setBusy(false);
      setRevoking(undefined);
    }
  };

  /** Erases a person for good; the API checks the typed email (400 when it differs) and refuses yourself (409). */
  const erase = async (user: User, confirmEmail: string) => {
    setErasingBusy(true);
    setEraseError(undefined);
    try {
      await call(api.admin.users[':id'].$delete({ param: { id: user.id }, json: { confirmEmail } }, { headers: idempotencyKey() }));
      if (invitation?.user.id === user.id) setInvitation(undefined);
      if (reinviting?.user.id === user.id) setReinviting(undefined);
      toast(`${user.name} was erased`);
      // The list refreshes before the dialog closes, so focus then lands on the page rather than on a removed row.
      await people.reload();
      setErasing(undefined);
    } catch (e) {
      setEraseError(toFailure(e));
    } finally {
      setErasingBusy(false);
    }
  };

  const openErase = (user: User) => {
    setEraseError(undefined);
    setErasing(user);
  };

  const onCreated = async (user: User) => {
    toast(`${user.name} added`);
    await people.reload();
    await invite(user);
  };

  return (
    <>
      <div class="page-head">
        <div>
          <h1>People</h1>
          <p>Admins, mentors and mentees of the programme</p>
        </div>
        <div class="row">
          <button type="button" class={panel === 'add' ? '' : 'primary'} aria-expanded={panel === 'add'} aria-controls="people-panel" onClick={() => setPanel(panel === 'add' ? 'none' : 'add')}>
            {panel === 'add' ? 'Close form' : 'Add a person'}
          </button>
          <button type="button" aria-expanded={panel === 'import'} aria-controls="people-panel" onClick={() => setPanel(panel === 'import' ? 'none' : 'import')}>
            {panel === 'import' ? 'Close import' : 'Import CSV'}
          </button>
        </div>
      </div>

      <div id="people-panel">
        {panel === 'add' && (
          <section class="card" style={{ marginBottom: '1rem' }} aria-labelledby="add-person-title">
            <h2 id="add-person-title">Add a person</h2>
            <PersonForm onCreated={(user) => void onCreated(user)} />
          </section>
        )}
        {panel === 'import' && (
          <section class="card" style={{ marginBottom: '1rem' }} aria-labelledby="import-title">
            <h2 id="import-title">Import people from CSV</h2>
            <CsvImport onImported={() => void people.reload()} />
          </section>
        )}
      </div>

      {reinviting && (
        <ReinvitationForm
          key={reinviting.user.id}
          {...reinviting}
          busy={inviting === reinviting.user.id}
          error={rowError}
          onSubmit={(reason) => void invite(reinviting.user, reason)}
          onCancel={() => setReinviting(undefined)}
        />
      )}

      {invitation && (
        <section class="card message success" style={{ marginBottom: '1rem' }} aria-labelledby="invite-title" tabIndex={-1} ref={invitationBox}>
          <div class="card-head">
            <h2 id="invite-title">Invitation for {invitation.user.name}</h2>
            <button type="button" class="small" onClick={() => setInvitation(undefined)}>
              Done
            </button>
          </div>
          <CopyField id="invite-link" label="Sign-in link (works once)" value={invitation.invitation.link} />
          <p class="small muted" style={{ marginTop: '0.5rem' }}>
            Expires {formatDateTime(invitation.invitation.expiresAt)}. Send it to {invitation.user.email} in your usual channel.{' '}
            {invitation.user.role === 'admin'
              ? 'It opens the admin view.'
              : 'They paste it into the Alongside extension’s options to sign in.'}{' '}
            <a href={`mailto:${encodeURIComponent(invitation.user.email)}?subject=${encodeURIComponent('Your Alongside invitation')}&body=${encodeURIComponent(invitation.invitation.link)}`}>
              Send by email
            </a>
          </p>
        </section>
      )}

      <form class="card toolbar" style={{ marginBottom: '1rem' }} role="search" aria-label="Filter people" onSubmit={(e) => e.preventDefault()}>
        <div class="field" style={{ flex: '1 1 14rem' }}>
          <label for="people-search">Search</label>
          <input id="people-search" type="search" placeholder="Name or email" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </div>
        <div class="field inline-field">
          <label for="people-role">Role</label>
          <select id="people-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            <option value="all">Everyone</option>
            <option value="mentor">Mentors</option>
            <option value="mentee">Mentees</option>
            <option value="admin">Admins</option>
          </select>
        </div>
      </form>

      {rowError && <ErrorMessage error={rowError} />}
      {people.error && <ErrorMessage error={people.error} onRetry={people.reload} />}
      {people.loading && !people.data && <Loading label="Loading people…" />}
      {people.data &&
        (rows.length === 0 ? (
          <div class="card">
            <EmptyState title={people.data.users.length ? 'No one matches this search' : 'No one here yet'}>
              {people.data.users.length === 0 && <p>Add people one at a time or import a CSV.</p>}
            </EmptyState>
          </div>
        ) : (
          <div class="table-wrap" aria-busy={people.loading}>
            <table>
              <caption class="visually-hidden">People</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col" class="hide-narrow">
                    Time zone and hours
                  </th>
                  <th scope="col" class="hide-narrow">
                    Skills, interests, goals
                  </th>
                  <th scope="col">Access</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((u) => (
                  <tr key={u.id}>
                    <td>
                      <strong>{u.name}</strong>
                      <div class="small muted" style={{ overflowWrap: 'anywhere' }}>
                        {u.email}
                      </div>
                    </td>
                    <td>
                      <span class="badge role">{roleLabel[u.role]}</span>
                      {u.role === 'mentor' && <div class="small muted nowrap">capacity {u.capacity}</div>}
                    </td>
                    <td class="hide-narrow small">
                      {u.timeZone}
                      <div class="muted">
                        {formatMinute(u.workingHours.startMinute)}–{formatMinute(u.workingHours.endMinute)}
                      </div>
                    </td>
                    <td class="hide-narrow small">
                      <Topics label="Skills" items={u.skills} />
                      <Topics label="Interests" items={u.interests} />
                      <Topics label="Goals" items={u.goals} />
                    </td>
                    <td>
                      {u.status === 'revoked' ? (
                        <div class="row" style={{ flexWrap: 'nowrap' }}>
                          <span class="badge revoked">revoked</span>
                          <EraseButton user={u} me={me} onClick={openErase} />
                        </div>
                      ) : (
                        <div class="row" style={{ flexWrap: 'nowrap' }}>
                          <button type="button" class="small" onClick={() => void invite(u)} disabled={inviting === u.id} aria-busy={inviting === u.id}>
                            {inviting === u.id && <span class="spinner" aria-hidden="true" />}
                            Invite link<span class="visually-hidden"> for {u.name}</span>
                          </button>
                          {u.role === 'mentee' && (
                            <Link to={`/matching/${u.id}`} class="button small">
                              Match<span class="visually-hidden"> {u.name}</span>
                            </Link>
                          )}
                          {u.id !== me.id && (
                            <button type="button" class="small link" onClick={() => setRevoking(u)}>
                              Revoke<span class="visually-hidden"> access of {u.name}</span>
                            </button>
                          )}
                          <EraseButton user={u} me={me} onClick={openErase} />
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}

      {revoking && (
        <ConfirmDialog
          open
          title={`Revoke ${revoking.name}’s access?`}
          confirmLabel="Revoke access"
          danger
          busy={busy}
          onConfirm={() => void revoke(revoking)}
          onCancel={() => setRevoking(undefined)}
        >
          <p>
            They are signed out everywhere at once and their open invitation links stop working. Their pairs and records stay as they are.
          </p>
        </ConfirmDialog>
      )}

      {erasing && (
        <EraseDialog
          key={erasing.id}
          user={erasing}
          busy={erasingBusy}
          error={eraseError}
          onConfirm={(email) => void erase(erasing, email)}
          onCancel={() => setErasing(undefined)}
        />
      )}
    </>
  );
}

/** Opens the erasure dialog for a person; not shown on your own row (the API refuses that with 409). */
function EraseButton({ user, me, onClick }: { user: User; me: User; onClick: (user: User) => void }) {
  if (user.id === me.id) return null;
  return (
    <button type="button" class="small link danger-link" onClick={() => onClick(user)}>
      Erase<span class="visually-hidden"> {user.name}</span>
    </button>
  );
}

function Topics({ label, items }: { label: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <div class="row" style={{ gap: '0.3rem', marginBottom: '0.25rem', flexWrap: 'nowrap', alignItems: 'baseline' }}>
      <span class="muted">{label}:</span>
      <ul class="tags" aria-label={label} style={{ minWidth: 0 }}>
        {items.map((t) => (
          <li key={t}>{t}</li>
        ))}
      </ul>
    </div>
  );
}

/** The reason an admin must give to invite someone who is already signed in; it goes to the audit log. */
function ReinvitationForm(props: {
  user: User;
  activeSessions: number;
  lastSignInAt: string | null;
  busy: boolean;
  error: ApiFailure | undefined;
  onSubmit: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const box = useRef<HTMLElement>(null);
  useEffect(() => box.current?.focus(), []);
  const fieldError = props.error?.fieldErrors().reason;
  return (
    <section class="card message" style={{ marginBottom: '1rem' }} aria-labelledby="reinvite-title" tabIndex={-1} ref={box}>
      <h2 id="reinvite-title">Re-invitation for {props.user.name}</h2>
      <p>
        {props.user.name} is already signed in ({props.activeSessions === 1 ? 'one active session' : `${props.activeSessions} active sessions`}
        {props.lastSignInAt ? `, latest ${formatDateTime(props.lastSignInAt)}` : ''}). A new link is a second way into their account: give
        the reason (for example a lost device). It is recorded in the audit log, and {props.user.name} is shown the sign-in it leads to.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit(reason.trim());
        }}
      >
        <div class="field">
          <label for="reinvite-reason">Reason</label>
          <textarea id="reinvite-reason" required minLength={3} maxLength={500} rows={2} value={reason} aria-invalid={fieldError ? true : undefined} aria-describedby={fieldError ? 'reinvite-reason-error' : undefined} onInput={(e) => setReason(e.currentTarget.value)} />
          {fieldError && (
            <p id="reinvite-reason-error" class="error">
              {fieldError}
            </p>
          )}
        </div>
        <div class="row">
          <button type="submit" class="primary" disabled={props.busy || reason.trim().length < 3}>
            Create re-invitation
          </button>
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

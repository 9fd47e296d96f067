// After a call: a 1–5 rating (radio buttons drawn as stars) and an optional comment; submitting or dismissing is final.
// The comment is for the programme, not the partner, and stays readable to admins (issue 10): the prompt says so.
import { useState } from 'preact/hooks';
import type { MeetingPlatform } from '../../../shared/schemas/index.ts';
import { ask } from '../../lib/app-client.ts';
import { type MessageKey, t, tCount } from '../../lib/i18n.ts';
import { errorMessage } from '../errors.ts';
import { formatDateTime, formatDuration, minutesBetween, platformName } from '../format.ts';

export interface FeedbackMeeting {
  id: string;
  platform: MeetingPlatform;
  startedAt: string;
  endedAt: string | null;
  durationMinutes: number | null;
  /** 'timeout': no end was reported and the server closed it, so its length is unknown. */
  endReason?: string | null;
}

/** The word for each rating, 1 to 5 (none for 0: nothing picked yet). */
const RATING_WORDS: readonly (MessageKey | null)[] = [
  null,
  'feedbackPrompt_ratingPoor',
  'feedbackPrompt_ratingFair',
  'feedbackPrompt_ratingGood',
  'feedbackPrompt_ratingVeryGood',
  'feedbackPrompt_ratingExcellent',
];

function ratingWord(rating: number): string {
  const key = RATING_WORDS[rating];
  return key ? t(key) : '';
}

export function FeedbackPrompt({
  meeting,
  partnerName,
  timeZone,
  onDone,
}: {
  meeting: FeedbackMeeting;
  partnerName: string;
  timeZone: string;
  /** Submitted or dismissed: the prompt is not shown again for this meeting. */
  onDone: (meetingId: string, outcome: 'submitted' | 'dismissed') => void;
}) {
  const [rating, setRating] = useState(0);
  const [hover, setHover] = useState(0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<'submit' | 'dismiss' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const titleId = `feedback-${meeting.id}-title`;
  const name = `rating-${meeting.id}`;
  const audienceId = `feedback-${meeting.id}-audience`;
  const minutes =
    meeting.durationMinutes ?? (meeting.endedAt && meeting.endReason !== 'timeout' ? minutesBetween(meeting.startedAt, meeting.endedAt) : null);

  async function submit(event: Event) {
    event.preventDefault();
    if (rating < 1 || busy) return;
    setBusy('submit');
    setError(null);
    try {
      await ask('feedback.submit', { meetingId: meeting.id, rating, comment: comment.trim() });
      setSent(true);
      // Leave the thank-you up for a moment, then step aside.
      setTimeout(() => onDone(meeting.id, 'submitted'), 2500);
    } catch (err) {
      setError(t('feedbackPrompt_notSent', errorMessage(err)));
    } finally {
      setBusy(null);
    }
  }

  async function dismiss() {
    setBusy('dismiss');
    setError(null);
    try {
      await ask('feedback.dismiss', { meetingId: meeting.id });
      onDone(meeting.id, 'dismissed');
    } catch (err) {
      setError(errorMessage(err));
      setBusy(null);
    }
  }

  if (sent) {
    return (
      <section class="card feedback" aria-labelledby={titleId}>
        <h2 id={titleId} class="section-title">
          {t('feedbackPrompt_thanks')}
        </h2>
        <p role="status">{t('feedbackPrompt_sent')}</p>
      </section>
    );
  }

  const shown = hover || rating;
  return (
    <section class="card feedback" aria-labelledby={titleId}>
      <h2 id={titleId} class="section-title">
        {t('feedbackPrompt_title', partnerName)}
      </h2>
      <p class="muted">
        {minutes === null
          ? t('feedbackPrompt_when', formatDateTime(meeting.startedAt, timeZone), platformName(meeting.platform))
          : t('feedbackPrompt_whenFor', formatDateTime(meeting.startedAt, timeZone), platformName(meeting.platform), formatDuration(minutes))}
      </p>
      <form onSubmit={submit}>
        <fieldset class="stars" onMouseLeave={() => setHover(0)}>
          <legend class="sr-only">{t('feedbackPrompt_ratingLegend')}</legend>
          {[1, 2, 3, 4, 5].map((value) => (
            <label key={value} class={`star${value <= shown ? ' filled' : ''}`} onMouseEnter={() => setHover(value)}>
              <input type="radio" name={name} value={value} checked={rating === value} onChange={() => setRating(value)} />
              <span aria-hidden="true">★</span>
              <span class="sr-only">{tCount('feedbackPrompt_stars', value, ratingWord(value))}</span>
            </label>
          ))}
          <span class="star-word" aria-hidden="true">
            {ratingWord(shown)}
          </span>
        </fieldset>
        <label class="field">
          <span class="field-label">{t('feedbackPrompt_comment')}</span>
          <textarea
            rows={2}
            maxLength={2000}
            value={comment}
            aria-describedby={audienceId}
            onInput={(e) => setComment(e.currentTarget.value)}
          />
        </label>
        <p id={audienceId} class="hint feedback-audience">
          {t('feedbackPrompt_audience', partnerName)}
        </p>
        <div class="row-actions">
          <button type="submit" class="primary small" disabled={rating < 1 || busy !== null}>
            {busy === 'submit' ? t('feedbackPrompt_sending') : t('feedbackPrompt_send')}
          </button>
          <button type="button" class="small" disabled={busy !== null} onClick={() => void dismiss()}>
            {busy === 'dismiss' ? t('feedbackPrompt_skipping') : t('feedbackPrompt_skip')}
          </button>
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}

import type { ReactNode } from 'react';
import { ApiError, messageOf } from '../api/client';

/** A spinner with a text for screen readers; `label` is shown beside it when `inline`. */
export function Spinner({ label = 'Loading…', inline = false }: { label?: string; inline?: boolean }) {
  return (
    <span className={inline ? 'spinner spinner--inline' : 'spinner'} role="status">
      <span className="spinner__ring" aria-hidden="true" />
      <span className={inline ? '' : 'visually-hidden'}>{label}</span>
    </span>
  );
}

/** Full-area loading placeholder for a page or card that has nothing to show yet. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading-block">
      <Spinner label={label} inline />
    </div>
  );
}

/** An error where it happened, with the server's message and an optional retry. */
export function ErrorMessage({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const status = error instanceof ApiError && error.status > 0 ? ` (${error.status})` : '';
  return (
    <div className="alert alert--error" role="alert">
      <div>
        {title && <strong className="alert__title">{title}</strong>}
        <span>
          {messageOf(error)}
          {title ? status : ''}
        </span>
      </div>
      {onRetry && (
        <button type="button" className="btn btn--small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children, icon }: { title: string; children?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="empty-state">
      {icon && (
        <span className="empty-state__icon" aria-hidden="true">
          {icon}
        </span>
      )}
      <p className="empty-state__title">{title}</p>
      {children && <div className="empty-state__text">{children}</div>}
    </div>
  );
}

/** A page number past the end of a list (a stale link): offer the first page instead. */
export function PastEndNotice({ onFirstPage }: { onFirstPage: () => void }) {
  return (
    <EmptyState title="This page is empty">
      <button type="button" className="btn btn--small" onClick={onFirstPage}>
        Go to the first page
      </button>
    </EmptyState>
  );
}

/** A short-lived status line ("Saved", an error) next to the control that caused it. */
export function StatusText({ tone, children }: { tone: 'success' | 'error'; children: ReactNode }) {
  return (
    <span className={`status-text status-text--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </span>
  );
}

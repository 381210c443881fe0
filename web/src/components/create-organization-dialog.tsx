import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { api } from '../api/endpoints';
import { Dialog } from './dialog';
import { ErrorMessage } from './feedback';

interface CreateOrganizationDialogProps {
  open: boolean;
  onClose: () => void;
  /** Called once the server has created it and made it the caller's active organization. */
  onCreated: () => void;
}

/** "Create organization": a name; the caller becomes its owner and moves into it. */
export function CreateOrganizationDialog({ open, onClose, onCreated }: CreateOrganizationDialogProps) {
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    if (!open) return;
    setTitle('');
    setError(undefined);
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.createOrganization(title.trim());
      onClose();
      onCreated();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const fieldError = error instanceof ApiError ? error.fieldError('title') : undefined;
  return (
    <Dialog
      open={open}
      title="Create organization"
      onClose={onClose}
      width={480}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form="create-organization" className="btn btn--primary" disabled={busy || title.trim() === ''}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </>
      }
    >
      <form id="create-organization" className="field" onSubmit={submit}>
        <label htmlFor="organization-title" className="field__label">
          Organization name
        </label>
        <input
          id="organization-title"
          className="input"
          value={title}
          maxLength={1000}
          required
          autoComplete="organization"
          aria-invalid={fieldError ? true : undefined}
          aria-describedby="organization-title-help"
          onChange={(e) => setTitle(e.target.value)}
        />
        <span id="organization-title-help" className="field__hint">
          You become its owner and switch to it; your other organizations stay in the organization menu.
        </span>
        {fieldError && <span className="field__error">{fieldError}</span>}
      </form>
      {error !== undefined && !fieldError && <ErrorMessage error={error} />}
    </Dialog>
  );
}

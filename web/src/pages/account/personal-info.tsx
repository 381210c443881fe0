import { useRef, useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../../api/client';
import { api } from '../../api/endpoints';
import { Avatar } from '../../components/avatar';
import { StatusText } from '../../components/feedback';
import { useSession } from '../../session';

type Fields = { first_name: string; last_name: string; phone: string };

function Field({
  id,
  label,
  value,
  onChange,
  error,
  readOnly,
  type = 'text',
  autoComplete,
  hint,
}: {
  id: string;
  label: string;
  value: string;
  onChange?: (value: string) => void;
  error?: string;
  readOnly?: boolean;
  type?: string;
  autoComplete?: string;
  hint?: string;
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <input
        id={id}
        className="input"
        type={type}
        value={value}
        readOnly={readOnly}
        autoComplete={autoComplete}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        onChange={(e) => onChange?.(e.target.value)}
      />
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

/** Picture, names and phone; the e-mail is the login and cannot be changed (§7.3). */
export function PersonalInfo() {
  const { me, updateMe } = useSession();
  const [fields, setFields] = useState<Fields>({ first_name: me.first_name, last_name: me.last_name, phone: me.phone });
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<{ ok: true } | { ok: false; error: unknown }>();
  const [avatarBusy, setAvatarBusy] = useState<'upload' | 'delete'>();
  const [avatarResult, setAvatarResult] = useState<{ ok: boolean; message: string }>();
  const fileInput = useRef<HTMLInputElement>(null);

  const set = (key: keyof Fields) => (value: string) => {
    setFields((f) => ({ ...f, [key]: value }));
    setResult(undefined);
  };
  const dirty = fields.first_name !== me.first_name || fields.last_name !== me.last_name || fields.phone !== me.phone;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setResult(undefined);
    try {
      updateMe(await api.updateUser(me.id, fields));
      setResult({ ok: true });
    } catch (error) {
      setResult({ ok: false, error });
    } finally {
      setSaving(false);
    }
  };

  const refreshUser = async () => updateMe(await api.user(me.id));

  const upload = async (file: File | undefined) => {
    if (!file) return;
    setAvatarBusy('upload');
    setAvatarResult(undefined);
    try {
      await api.uploadAvatar(me.id, file);
      await refreshUser();
      setAvatarResult({ ok: true, message: 'Picture updated' });
    } catch (error) {
      // The server's own validation message (size, dimensions, type) is what the user needs to fix it.
      setAvatarResult({ ok: false, message: error instanceof ApiError ? error.detail : 'Error updating avatar' });
    } finally {
      setAvatarBusy(undefined);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const remove = async () => {
    setAvatarBusy('delete');
    setAvatarResult(undefined);
    try {
      await api.deleteAvatar(me.id);
      await refreshUser();
      setAvatarResult({ ok: true, message: 'Picture removed' });
    } catch (error) {
      setAvatarResult({ ok: false, message: messageOf(error) });
    } finally {
      setAvatarBusy(undefined);
    }
  };

  const fieldError = (name: string) =>
    result && !result.ok && result.error instanceof ApiError ? result.error.fieldError(name) : undefined;
  const saveError = result && !result.ok ? result.error : undefined;
  const hasFieldErrors = saveError instanceof ApiError && Object.keys(saveError.validationErrors).length > 0;

  return (
    <section id="personal-info" className="card settings-section" aria-labelledby="personal-info-title">
      <h2 id="personal-info-title" className="settings-section__title">
        Personal Info
      </h2>
      <div className="avatar-editor">
        <Avatar user={me} size={92} />
        <div className="avatar-editor__actions">
          <div className="avatar-editor__buttons">
            <input
              ref={fileInput}
              id="avatar-file"
              className="visually-hidden"
              type="file"
              accept="image/png, image/jpeg, image/jpg, image/gif"
              onChange={(e) => upload(e.target.files?.[0])}
              disabled={avatarBusy !== undefined}
            />
            <label htmlFor="avatar-file" className={`btn${avatarBusy ? ' is-disabled' : ''}`}>
              {avatarBusy === 'upload' ? 'Uploading…' : me.avatar ? 'Change picture' : 'Upload picture'}
            </label>
            {me.avatar && (
              <button type="button" className="btn btn--danger-outline" onClick={remove} disabled={avatarBusy !== undefined}>
                {avatarBusy === 'delete' ? 'Deleting…' : 'Delete'}
              </button>
            )}
          </div>
          <p className="field__hint">JPEG, GIF or PNG, at most 1200 × 1200 pixels and 1 MB.</p>
          {avatarResult && <StatusText tone={avatarResult.ok ? 'success' : 'error'}>{avatarResult.message}</StatusText>}
        </div>
      </div>
      <form className="form-grid" onSubmit={save} noValidate>
        <Field id="first_name" label="First Name" value={fields.first_name} onChange={set('first_name')} autoComplete="given-name" error={fieldError('first_name')} />
        <Field id="last_name" label="Last Name" value={fields.last_name} onChange={set('last_name')} autoComplete="family-name" error={fieldError('last_name')} />
        <Field id="email" label="E-mail" value={me.email} readOnly type="email" hint="Your e-mail is your login and cannot be changed." />
        <Field id="phone" label="Phone" value={fields.phone} onChange={set('phone')} type="tel" autoComplete="tel" error={fieldError('phone')} />
        <div className="form-actions">
          <button type="submit" className="btn btn--primary" disabled={saving || !dirty}>
            {saving ? 'Saving…' : 'Save'}
          </button>
          {result?.ok && <StatusText tone="success">Saved</StatusText>}
          {saveError !== undefined && (
            <StatusText tone="error">{hasFieldErrors ? 'Please correct the fields above.' : `Error updating user: ${messageOf(saveError)}`}</StatusText>
          )}
        </div>
      </form>
    </section>
  );
}

import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { copyText } from '../lib/clipboard';

/** A read-only value with a Copy button that reads "Copied!" for a moment (Label Studio's 1.5 s). */
export function CopyField({
  label,
  value,
  multiline = false,
  extra,
  hideLabel = false,
}: {
  label: string;
  value: string;
  multiline?: boolean;
  extra?: ReactNode;
  hideLabel?: boolean;
}) {
  const id = useId();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const copy = async () => {
    const ok = await copyText(value);
    setState(ok ? 'copied' : 'failed');
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setState('idle'), 1500);
  };

  return (
    <div className="copy-field">
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : 'field__label'}>
        {label}
      </label>
      <div className="copy-field__row">
        {multiline ? (
          <textarea id={id} className="input input--mono" readOnly value={value} rows={3} onFocus={(e) => e.currentTarget.select()} />
        ) : (
          <input id={id} className="input input--mono" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        )}
        <button type="button" className="btn" onClick={copy} aria-live="polite">
          {state === 'copied' ? 'Copied!' : state === 'failed' ? 'Copy failed' : 'Copy'}
        </button>
        {extra}
      </div>
    </div>
  );
}

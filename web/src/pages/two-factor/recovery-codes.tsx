import { useEffect, useRef, useState } from 'react';
import { copyText } from '../../lib/clipboard';

/** The recovery codes, shown once: copy or download them, then go on. */
export function RecoveryCodesView({ codes, doneLabel, onDone }: { codes: string[]; doneLabel: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const heading = useRef<HTMLHeadingElement>(null);
  const [download, setDownload] = useState<string>();

  useEffect(() => {
    heading.current?.focus();
    const url = URL.createObjectURL(new Blob([`Label Studio recovery codes\n\n${codes.join('\n')}\n`], { type: 'text/plain' }));
    setDownload(url);
    return () => URL.revokeObjectURL(url);
  }, [codes]);

  const copy = async () => setCopied((await copyText(codes.join('\n'))) ? 'copied' : 'failed');

  return (
    <div className="recovery" aria-labelledby="recovery-title">
      <h3 id="recovery-title" className="recovery__title" ref={heading} tabIndex={-1}>
        Save your recovery codes
      </h3>
      <p className="recovery__text">
        If you lose your phone, each of these codes logs you in once instead of a code from the app. They are shown only
        now: copy or download them and keep them somewhere safe, such as a password manager.
      </p>
      <ol className="recovery__codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="recovery__actions">
        <button type="button" className="btn" onClick={copy} aria-live="polite">
          {copied === 'copied' ? 'Copied!' : copied === 'failed' ? 'Copy failed' : 'Copy codes'}
        </button>
        {download && (
          <a className="btn" href={download} download="label-studio-recovery-codes.txt">
            Download
          </a>
        )}
        <button type="button" className="btn btn--primary" onClick={onDone}>
          {doneLabel}
        </button>
      </div>
    </div>
  );
}

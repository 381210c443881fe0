import { useEffect, useState, type FormEvent } from 'react';

export type SaveResult = { ok: true } | { ok: false; error: unknown };

/**
 * One organization setting edited in a small form: the choice follows the saved value until changed, a change
 * clears the last result, and submitting saves it once at a time.
 */
export function useSettingForm<T>(saved: T, save: (choice: T) => Promise<void>) {
  const [choice, setChoice] = useState<T>(saved);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SaveResult>();

  useEffect(() => setChoice(saved), [saved]);

  const change = (value: T) => {
    setChoice(value);
    setResult(undefined);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setResult(undefined);
    try {
      await save(choice);
      setResult({ ok: true });
    } catch (error) {
      setResult({ ok: false, error });
    } finally {
      setBusy(false);
    }
  };

  return { choice, change, busy, result, unchanged: choice === saved, submit };
}

/** Sign-ups waiting for approval, with the way to them (shown to those who may approve). */
export function PendingNotice({ count, onShow }: { count: number; onShow: () => void }) {
  return (
    <div className="pending-notice" role="status">
      <span>
        <strong>{count === 1 ? '1 sign-up waits' : `${count} sign-ups wait`} for approval.</strong> They have no access until
        approved.
      </span>
      <button type="button" className="btn btn--small" onClick={onShow}>
        Review pending sign-ups
      </button>
    </div>
  );
}

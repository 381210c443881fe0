import type { User } from '../api/types';

const PALETTE = ['#2f6f8f', '#6d4aa8', '#2d7a4f', '#a1531f', '#8a3b73', '#3d5aa8', '#6b6b1f', '#a13a3a'];

/** The user's picture, or their initials on a colour derived from their id. */
export function Avatar({ user, size = 32 }: { user: Pick<User, 'id' | 'avatar' | 'initials'>; size?: number }) {
  const style = { width: size, height: size, fontSize: Math.round(size * 0.4) };
  if (user.avatar) {
    return <img className="avatar" src={user.avatar} alt="" width={size} height={size} style={style} />;
  }
  const background = PALETTE[user.id % PALETTE.length];
  return (
    <span className="avatar avatar--initials" style={{ ...style, background }} aria-hidden="true">
      {user.initials || '?'}
    </span>
  );
}

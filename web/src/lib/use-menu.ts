import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

/**
 * A menu button's behaviour (WAI-ARIA menu button): opening focuses the checked or first item, arrows, Home and End
 * move, Escape closes back onto the button, Tab and a click outside close it. Items are found by their role, so
 * the menu's markup stays in the component that draws it.
 */
export function useMenu(
  /** Changes when the items do (a list loaded after opening): focus then moves in, if it is not there yet. */
  itemsKey: unknown = null,
) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  const items = () =>
    Array.from(menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]:not([aria-disabled="true"])') ?? []);

  useEffect(() => {
    if (!open || menu.current?.contains(document.activeElement)) return;
    const list = items();
    (list.find((item) => item.getAttribute('aria-checked') === 'true') ?? list[0])?.focus();
  }, [open, itemsKey]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      const target = event.target;
      if (!(target instanceof Node)) return;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent) => {
    const list = items();
    const active = document.activeElement;
    const index = list.findIndex((item) => item === active);
    const focusAt = (i: number) => list[(i + list.length) % list.length]?.focus();
    if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      focusAt(index + (event.key === 'ArrowDown' ? 1 : -1));
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      focusAt(event.key === 'Home' ? 0 : -1);
    } else if (event.key === 'Tab') {
      close(false);
    }
  };

  return {
    open,
    close,
    menuId,
    buttonProps: {
      ref: button,
      type: 'button' as const,
      'aria-haspopup': 'menu' as const,
      'aria-expanded': open,
      'aria-controls': menuId,
      onClick: () => setOpen((o) => !o),
      onKeyDown: (event: KeyboardEvent) => {
        if (event.key === 'ArrowDown') {
          event.preventDefault();
          setOpen(true);
        }
      },
    },
    menuProps: { ref: menu, onKeyDown: onMenuKey },
  };
}

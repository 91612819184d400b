import { useEffect, useState } from 'preact/hooks';

type Politeness = 'polite' | 'assertive';
type Listener = (message: string, politeness: Politeness) => void;
const listeners = new Set<Listener>();

/** Tell screen-reader users something happened (new reports, a saved change) without moving focus. */
export function announce(message: string, politeness: Politeness = 'polite'): void {
  for (const listener of listeners) listener(message, politeness);
}

/** Rendered once in the layout: the two live regions that `announce` speaks through. */
export function LiveRegion() {
  const [polite, setPolite] = useState('');
  const [assertive, setAssertive] = useState('');
  useEffect(() => {
    const listener: Listener = (message, politeness) => {
      // Clearing first makes a repeated message be read again.
      const set = politeness === 'polite' ? setPolite : setAssertive;
      set('');
      setTimeout(() => set(message), 50);
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return (
    <>
      <div class="visually-hidden" role="status" aria-live="polite" data-testid="live-polite">
        {polite}
      </div>
      <div class="visually-hidden" role="alert" aria-live="assertive">
        {assertive}
      </div>
    </>
  );
}

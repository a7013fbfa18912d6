import { useRef, type KeyboardEvent } from 'react';

export type ClassTab<Id extends string> = { id: Id; label: string };
/** News on a tab: what the badge shows, and what a screen reader says after the tab's name. */
export type TabBadge = { text: string; spoken: string } | null;

type Props<Id extends string> = {
  tabs: readonly ClassTab<Id>[];
  active: Id;
  onSelect: (id: Id) => void;
  badges: Record<Id, TabBadge>;
  /** Prefix of the tabs' and panels' ids and test ids: `<prefix>-tab-<id>`, `<prefix>-panel-<id>`, `<prefix>-badge`. */
  idPrefix: string;
  label: string;
};

/**
 * The Chat / Q&A / Polls tabs of a class, live (the classroom) or replayed (a recording): WAI-ARIA
 * tabs with automatic activation (arrows, Home, End), and a badge of news on the tabs not shown.
 */
export function ClassTabs<Id extends string>({ tabs, active, onSelect, badges, idPrefix, label }: Props<Id>) {
  const refs = useRef<Partial<Record<Id, HTMLButtonElement | null>>>({});
  const select = (id: Id, focus: boolean) => {
    onSelect(id);
    if (focus) refs.current[id]?.focus();
  };
  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((t) => t.id === active);
    const last = tabs.length - 1;
    const target =
      event.key === 'ArrowRight' ? (index + 1) % tabs.length : event.key === 'ArrowLeft' ? (index + last) % tabs.length : event.key === 'Home' ? 0 : event.key === 'End' ? last : null;
    if (target === null) return;
    event.preventDefault();
    select(tabs[target].id, true);
  };

  return (
    <div role="tablist" aria-label={label} className="grid grid-cols-3 border-b border-slate-200" onKeyDown={onKey}>
      {tabs.map(({ id, label: name }) => {
        const selected = active === id;
        const badge = badges[id];
        return (
          <button
            key={id}
            ref={(element) => {
              refs.current[id] = element;
            }}
            type="button"
            role="tab"
            id={`${idPrefix}-tab-${id}`}
            aria-selected={selected}
            aria-controls={`${idPrefix}-panel-${id}`}
            tabIndex={selected ? 0 : -1}
            onClick={() => select(id, false)}
            className={`focus-ring flex min-h-11 items-center justify-center gap-2 border-b-2 px-2 text-sm font-semibold ${selected ? 'border-brand-600 text-brand-900' : 'border-transparent text-slate-700 hover:text-slate-900'}`}
            data-testid={`${idPrefix}-tab-${id}`}
          >
            {name}
            {/* Room kept whether or not there is news: nothing moves when a badge appears. */}
            <span className={`inline-flex h-5 min-w-9 items-center justify-center rounded-full px-1.5 text-xs ${badge ? 'bg-red-700 text-white' : ''}`} data-testid={`${idPrefix}-badge`}>
              {badge && (
                <>
                  <span aria-hidden="true">{badge.text}</span>
                  <span className="sr-only">, {badge.spoken}</span>
                </>
              )}
            </span>
          </button>
        );
      })}
    </div>
  );
}

import { useSearchParams } from 'react-router'
import { useDocumentTitle } from '../../components/useDocumentTitle'
import { AlertList } from './AlertList'
import { ChannelsPanel } from './ChannelsPanel'
import { RulesPanel } from './RulesPanel'

const TABS = [
  { id: 'alerts', label: 'Firing and history' },
  { id: 'rules', label: 'Rules' },
  { id: 'channels', label: 'Channels' },
] as const
type Tab = (typeof TABS)[number]['id']

function isTab(value: string | null): value is Tab {
  return TABS.some((tab) => tab.id === value)
}

const tabClass = (selected: boolean) =>
  'rounded-md px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 ' +
  (selected
    ? 'bg-indigo-50 text-indigo-800 dark:bg-indigo-500/15 dark:text-indigo-200'
    : 'text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800')

/** Alerts firing now and past, the rules that raise them and the channels that carry them. */
export function AlertsPage() {
  useDocumentTitle('Alerts')
  // The tab lives in the URL so a link (or the back button) opens the same one.
  const [params, setParams] = useSearchParams()
  const requested = params.get('tab')
  const tab: Tab = isTab(requested) ? requested : 'alerts'

  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Alerts</h1>
      <div role="tablist" aria-label="Alerts sections" className="flex flex-wrap gap-1">
        {TABS.map(({ id, label }) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`tabpanel-${id}`}
            className={tabClass(tab === id)}
            onClick={() => setParams(id === 'alerts' ? {} : { tab: id })}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`} className="flex flex-col gap-8">
        {tab === 'alerts' && (
          <>
            <AlertList status="firing" title="Firing now" empty="Nothing is firing" />
            <AlertList status={undefined} title="History" empty="No alerts yet" />
          </>
        )}
        {tab === 'rules' && <RulesPanel />}
        {tab === 'channels' && <ChannelsPanel />}
      </div>
    </div>
  )
}

import { useId, useMemo } from 'react'
import { Panel } from '../../components/PageState'
import { SelectField } from '../../components/SelectField'
import { useDocumentTitle } from '../../components/useDocumentTitle'
import { formatDateTime, timeZoneName } from '../../components/format'
import { THEMES, useSettings } from '../../components/settingsStore'
import type { Theme } from '../../components/settingsStore'

const themeLabel: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' }

function zoneOptions(): { value: string; label: string }[] {
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return [
    { value: 'local', label: `This device's time zone (${local})` },
    { value: 'UTC', label: 'UTC' },
    ...zones.filter((zone) => zone !== 'UTC').map((zone) => ({ value: zone, label: zone.replaceAll('_', ' ') })),
  ]
}

export function SettingsPage() {
  const { theme, timeZone, setTheme, setTimeZone } = useSettings()
  const options = useMemo(zoneOptions, [])
  const name = useId()
  useDocumentTitle('Settings')
  const now = new Date().toISOString()

  return (
    <div className="mx-auto flex max-w-2xl flex-col gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <Panel title="Appearance">
        <fieldset>
          <legend className="mb-2 text-sm font-medium text-slate-700 dark:text-slate-200">Theme</legend>
          <div className="flex flex-wrap gap-2">
            {THEMES.map((value) => (
              <label
                key={value}
                className={
                  'flex cursor-pointer items-center gap-2 rounded-md border px-3 py-2 text-sm ' +
                  'has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-500 ' +
                  (theme === value
                    ? 'border-indigo-600 bg-indigo-50 font-semibold dark:border-indigo-400 dark:bg-indigo-500/15'
                    : 'border-slate-300 dark:border-slate-600')
                }
              >
                <input
                  type="radio"
                  name={name}
                  value={value}
                  checked={theme === value}
                  onChange={() => setTheme(value)}
                  className="accent-indigo-600"
                />
                {themeLabel[value]}
              </label>
            ))}
          </div>
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">System follows your device's light or dark setting.</p>
        </fieldset>
      </Panel>
      <Panel title="Time">
        <div className="flex flex-col gap-2">
          <SelectField
            label="Display time zone"
            options={options}
            value={timeZone}
            onChange={(event) => setTimeZone(event.target.value)}
            hint="Times everywhere in Watchdeck are shown in this zone; they are stored in UTC."
          />
          <p className="text-sm text-slate-700 dark:text-slate-300" role="status">
            Now: {formatDateTime(now)} ({timeZoneName()})
          </p>
        </div>
      </Panel>
      <p className="text-sm text-slate-600 dark:text-slate-400">These settings are kept in this browser.</p>
    </div>
  )
}

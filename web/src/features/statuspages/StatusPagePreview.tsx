import { useId } from 'react'
import { useWatch } from 'react-hook-form'
import type { Control } from 'react-hook-form'
import type { HostOut, ServiceSummary, Theme } from '../../api'
import { previewOf, STATUS_LABELS } from './preview'
import type { ComponentStatus, Indicator } from './preview'
import type { StatusPageFormValues } from './statusPageForm'

interface Palette {
  page: string
  muted: string
  line: string
}

// The page's own theme, not the dashboard's: "light" stays light inside a dark
// dashboard, so only "auto" follows the dashboard's scheme (written out for Tailwind).
const palettes: Record<Theme, Palette> = {
  auto: {
    page: 'border-slate-200 bg-white text-slate-900 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100',
    muted: 'text-slate-600 dark:text-slate-400',
    line: 'border-slate-200 dark:border-slate-800',
  },
  light: {
    page: 'border-slate-200 bg-white text-slate-900',
    muted: 'text-slate-600',
    line: 'border-slate-200',
  },
  dark: {
    page: 'border-slate-700 bg-slate-950 text-slate-100',
    muted: 'text-slate-400',
    line: 'border-slate-800',
  },
}

const bannerClass: Record<Indicator, string> = {
  none: 'bg-emerald-700 text-white',
  minor: 'bg-amber-400 text-slate-950',
  major: 'bg-orange-600 text-white',
  critical: 'bg-red-700 text-white',
  maintenance: 'bg-sky-700 text-white',
}

const statusClass: Record<ComponentStatus | 'none', string> = {
  operational: 'text-emerald-600',
  degraded_performance: 'text-amber-600',
  partial_outage: 'text-orange-600',
  major_outage: 'text-red-600',
  under_maintenance: 'text-sky-600',
  none: 'text-slate-500',
}

interface StatusPagePreviewProps {
  control: Control<StatusPageFormValues>
  services: readonly ServiceSummary[]
  hosts: readonly HostOut[]
  /** Where the saved page is served; only a page already saved has one. */
  publicPath?: string
  /** The saved logo, unless the form is about to replace or remove it. */
  logoPath?: string | null
}

/** The page as readers would see it, redrawn as the form is typed in. */
export function StatusPagePreview({ control, services, hosts, publicPath, logoPath = null }: StatusPagePreviewProps) {
  const headingId = useId()
  // Watched here rather than in the form, so typing redraws the preview and not every row of the editor.
  const [slug, title, description, theme, footerLinks, components, domain] = useWatch({
    control,
    name: ['slug', 'title', 'description', 'theme', 'footer_links', 'components', 'custom_domain'],
  })
  const { banner, groups } = previewOf(components, services, hosts)
  const palette = palettes[theme]
  const shownTitle = title.trim()

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={headingId} className="text-base font-semibold">
          Preview
        </h2>
        {publicPath !== undefined && (
          <a
            href={publicPath}
            target="_blank"
            rel="noopener noreferrer"
            className="text-sm text-indigo-700 underline dark:text-indigo-300"
          >
            Open the public page{' '}
            <span className="sr-only">as last saved (opens in a new tab)</span>
          </a>
        )}
      </div>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        States are those of the chosen services and hosts right now. The public page adds 90 days of uptime
        {publicPath !== undefined ? ' and shows what was last saved.' : '.'}
      </p>
      <div className={`flex flex-col gap-5 rounded-lg border p-5 shadow-sm ${palette.page}`}>
        <p className={`truncate font-mono text-xs ${palette.muted}`}>
          {domain.trim() === '' ? `/status/${slug.trim() || '…'}` : `https://${domain.trim().toLowerCase()}/`}
        </p>
        <header className="flex flex-col gap-2">
          {logoPath !== null && <img src={logoPath} alt="" className="h-10 max-w-40 self-start object-contain" />}
          <h3 className={`text-xl font-semibold ${shownTitle === '' ? palette.muted : ''}`}>
            {shownTitle === '' ? 'Untitled page' : shownTitle}
          </h3>
          {description.trim() !== '' && (
            <p className={`text-sm whitespace-pre-line ${palette.muted}`}>{description.trim()}</p>
          )}
          <p className={`rounded-md px-3 py-2 text-sm font-semibold ${bannerClass[banner.indicator]}`}>
            {banner.description}
          </p>
        </header>
        {groups.length === 0 ? (
          <p className={`text-sm ${palette.muted}`}>Nothing is published on this page yet.</p>
        ) : (
          groups.map((group, index) => (
            <section key={index} className="flex flex-col gap-2">
              <h4 className="text-sm font-semibold">{group.name ?? 'Components'}</h4>
              <ul className={`divide-y rounded-md border ${palette.line}`}>
                {group.components.map((component, row) => (
                  <li key={row} className={`flex flex-col gap-1 px-3 py-2 ${palette.line}`}>
                    <div className="flex items-baseline justify-between gap-3">
                      <span className={`min-w-0 truncate text-sm font-medium ${component.name === '' ? palette.muted : ''}`}>
                        {component.name === '' ? 'Unnamed component' : component.name}
                      </span>
                      <span className={`shrink-0 text-xs font-semibold ${statusClass[component.status ?? 'none']}`}>
                        {STATUS_LABELS[component.status ?? 'none']}
                      </span>
                    </div>
                    {component.description !== '' && (
                      <p className={`text-xs ${palette.muted}`}>{component.description}</p>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          ))
        )}
        {footerLinks.some((link) => link.label.trim() !== '') && (
          <ul className={`flex flex-wrap gap-x-4 gap-y-1 border-t pt-3 text-sm ${palette.line}`}>
            {footerLinks.map((link, index) =>
              link.label.trim() === '' ? null : (
                // Text only: a half-typed address is not a link to follow from the dashboard.
                <li key={index} className="underline">
                  {link.label.trim()}
                </li>
              ),
            )}
          </ul>
        )}
      </div>
    </section>
  )
}

import { CopyButton } from '../../components/CopyButton'
import { Panel } from '../../components/PageState'

const BADGES = [
  { file: 'status.svg', name: 'status', alt: 'Status' },
  { file: 'uptime.svg', name: 'uptime', alt: 'Uptime over 30 days' },
  { file: 'latency.svg', name: 'latency', alt: 'Latency' },
] as const

/** The Markdown that shows the image at `url` in a README. */
export function badgeMarkdown(alt: string, url: string): string {
  return `![${alt}](${url})`
}

interface BadgeSnippetsProps {
  /** The service's `badge_path`, e.g. "/badge/<key>". */
  badgePath: string
  /** Where the dashboard is served from; the README needs the full address. */
  origin?: string
}

/** The service's public badges as they look, each with its Markdown to copy into a README. */
export function BadgeSnippets({ badgePath, origin = window.location.origin }: BadgeSnippetsProps) {
  return (
    <Panel title="Public badges">
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
        Anyone with these addresses sees the state, uptime and latency, never the name or URL. Uptime shows 30
        days; add <code>?period=24h</code>, <code>7d</code> or <code>90d</code> for another window, or{' '}
        <code>?label=</code> for your own text.
      </p>
      <ul className="flex flex-col gap-3">
        {BADGES.map(({ file, name, alt }) => {
          const url = `${origin}${badgePath}/${file}`
          const markdown = badgeMarkdown(alt, url)
          return (
            <li key={file} className="flex flex-col gap-2 sm:flex-row sm:items-center">
              <span className="shrink-0 sm:w-44">
                <img src={url} alt={`${alt} badge`} height={20} className="h-5 w-auto" />
              </span>
              <code
                aria-label={`Markdown for the ${name} badge`}
                className="min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm break-all dark:border-slate-700 dark:bg-slate-950"
              >
                {markdown}
              </code>
              <CopyButton text={markdown} label={`Markdown for the ${name} badge`} />
            </li>
          )
        })}
      </ul>
    </Panel>
  )
}

import type { ServiceOut } from '../../api'
import { formatLatency } from '../../components/format'

function hostPort(host: string, port: number | null): string {
  const shown = host.includes(':') ? `[${host}]` : host
  return port === null ? shown : `${shown}:${port}`
}

/** What the service checks, as people write it: a URL, host:port, or "A example.com @server". */
export function targetText(service: ServiceOut): string {
  const host = service.host ?? ''
  switch (service.kind) {
    case 'http':
      return service.url ?? ''
    case 'push':
      return 'Push monitor: the job calls its push URL.'
    case 'tcp':
    case 'tls':
      return hostPort(host, service.port)
    case 'ping':
      return host
    case 'dns':
      return [service.dns_record_type, host, service.dns_server === null ? null : `@${service.dns_server}`]
        .filter((part) => part !== null)
        .join(' ')
  }
}

// last_figures is typed loosely by the API, so each value is checked before it is shown.
const numberIn = (figures: ServiceOut['last_figures'], key: string): number | null => {
  const value = figures[key]
  return typeof value === 'number' ? value : null
}

const textIn = (figures: ServiceOut['last_figures'], key: string): string | null => {
  const value = figures[key]
  return typeof value === 'string' ? value : null
}

function pingRows(figures: ServiceOut['last_figures']): [string, string][] {
  const rows: [string, string][] = []
  const loss = numberIn(figures, 'loss_pct')
  const sent = numberIn(figures, 'sent')
  const received = numberIn(figures, 'received')
  if (loss !== null) {
    const counts = sent !== null && received !== null ? ` (${received} of ${sent} received)` : ''
    rows.push(['Packet loss', `${Number(loss.toFixed(1))}%${counts}`])
  }
  const rtt = ['rtt_min_ms', 'rtt_avg_ms', 'rtt_max_ms'].map((key) => numberIn(figures, key))
  if (rtt.some((value) => value !== null)) {
    rows.push(['Round trip min / avg / max', rtt.map(formatLatency).join(' / ')])
  }
  return rows
}

function tlsRows(figures: ServiceOut['last_figures']): [string, string][] {
  const rows: [string, string][] = []
  const days = numberIn(figures, 'days_left')
  if (days !== null) rows.push(['Days left', String(days)])
  const subject = textIn(figures, 'subject')
  if (subject !== null) rows.push(['Subject', subject])
  const issuer = textIn(figures, 'issuer')
  if (issuer !== null) rows.push(['Issuer', issuer])
  return rows
}

function dnsAnswers(figures: ServiceOut['last_figures']): string[] | null {
  const answers = figures.answers
  if (!Array.isArray(answers)) return null
  return answers.filter((answer): answer is string => typeof answer === 'string')
}

function FigureRows({ rows }: { rows: [string, string][] }) {
  if (rows.length === 0) return null
  return (
    <dl aria-label="Latest figures" className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-slate-600 dark:text-slate-400">{term}</dt>
          <dd className="break-words">{value}</dd>
        </div>
      ))}
    </dl>
  )
}

function DnsAnswers({ answers }: { answers: string[] }) {
  return (
    <div className="flex flex-col gap-1 text-sm">
      <span className="text-slate-600 dark:text-slate-400">Latest answers</span>
      {answers.length === 0 ? (
        <span>No answers</span>
      ) : (
        <ul aria-label="Latest answers" className="flex flex-col gap-0.5 break-all font-mono">
          {answers.map((answer, index) => (
            <li key={`${index}-${answer}`}>{answer}</li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** The latest check's figures of a ping, dns or tls service; nothing for the other kinds. */
export function LastFigures({ service }: { service: ServiceOut }) {
  const figures = service.last_figures
  switch (service.kind) {
    case 'ping':
      return <FigureRows rows={pingRows(figures)} />
    case 'tls':
      return <FigureRows rows={tlsRows(figures)} />
    case 'dns': {
      const answers = dnsAnswers(figures)
      return answers === null ? null : <DnsAnswers answers={answers} />
    }
    default:
      return null
  }
}

import type { StatusPageOut } from '../../api'
import { ButtonLink } from '../../components/ButtonLink'
import { EmptyState, ErrorNotice, Loading } from '../../components/PageState'
import { useDocumentTitle } from '../../components/useDocumentTitle'
import { usePermissions } from '../auth/permissions'
import { useStatusPages } from './hooks'

function PublicLink({ page }: { page: StatusPageOut }) {
  return (
    <a
      href={page.path}
      target="_blank"
      rel="noopener noreferrer"
      className="font-mono text-indigo-700 hover:underline dark:text-indigo-300"
    >
      {page.path}{' '}
      <span className="sr-only">(opens in a new tab)</span>
    </a>
  )
}

function StatusPagesTable({ pages, canEdit }: { pages: readonly StatusPageOut[]; canEdit: boolean }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full min-w-[36rem] text-left text-sm">
        <caption className="sr-only">Status pages</caption>
        <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">Title</th>
            <th scope="col" className="px-4 py-2 font-medium">Public page</th>
            <th scope="col" className="px-4 py-2 font-medium">Components</th>
            {canEdit && (
              <th scope="col" className="px-4 py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {pages.map((page) => (
            <tr key={page.id}>
              <th scope="row" className="px-4 py-2 font-medium">
                {page.title}
              </th>
              <td className="px-4 py-2">
                <PublicLink page={page} />
              </td>
              <td className="px-4 py-2 tabular-nums">{page.components.length}</td>
              {canEdit && (
                <td className="px-4 py-2 text-right">
                  <ButtonLink
                    to={`/status-pages/${page.id}/edit`}
                    variant="secondary"
                    size="sm"
                    aria-label={`Edit ${page.title}`}
                  >
                    Edit
                  </ButtonLink>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function StatusPagesPage() {
  const pages = useStatusPages()
  const { canEdit } = usePermissions()
  useDocumentTitle('Status pages')

  let body
  if (pages.isPending) body = <Loading>Loading status pages…</Loading>
  else if (pages.isError) body = <ErrorNotice title="Could not load the status pages" error={pages.error} />
  else if (pages.data.length === 0)
    body = (
      <EmptyState title="No status pages yet">
        <p className="max-w-md text-sm text-slate-600 dark:text-slate-400">
          {canEdit
            ? 'A status page shows the public how your services are doing, under names you choose, at an address anyone can open.'
            : 'Status pages appear here once a developer or admin adds one.'}
        </p>
        {canEdit && <ButtonLink to="/status-pages/new">Add a status page</ButtonLink>}
      </EmptyState>
    )
  else body = <StatusPagesTable pages={pages.data} canEdit={canEdit} />

  const hasPages = pages.data !== undefined && pages.data.length > 0
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Status pages</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Public pages anyone can open without signing in.</p>
        </div>
        {canEdit && hasPages && <ButtonLink to="/status-pages/new">Add a status page</ButtonLink>}
      </div>
      {body}
    </div>
  )
}

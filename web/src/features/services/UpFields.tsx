import { CheckboxField } from '../../components/CheckboxField'
import { TextField } from '../../components/TextField'
import { DnsFields, LatencyField, PingFields, TcpFields, TlsFields } from './KindFields'
import type { KindFieldsProps } from './KindFields'
import type { ServiceFormValues } from './serviceForm'

function HttpFields({ jsonPath, ...props }: KindFieldsProps & { jsonPath: string }) {
  const { register, err } = props
  return (
    <>
      <TextField
        label="Expected statuses"
        hint="Codes and ranges, e.g. 200-299,301"
        error={err('expected_statuses')}
        {...register('expected_statuses')}
      />
      <LatencyField {...props} hint="Slower answers count as degraded; empty for none." />
      <div className="flex flex-col gap-2">
        <TextField
          label="Keyword"
          hint="Text the response body must contain; empty for none."
          error={err('keyword')}
          {...register('keyword')}
        />
        <CheckboxField
          label="The keyword must be absent"
          error={err('keyword_absent')}
          {...register('keyword_absent')}
        />
      </div>
      <div className="flex flex-col gap-2">
        <TextField
          label="JSON path"
          placeholder="$.status"
          hint="A value in a JSON response to check; empty for none."
          error={err('json_path')}
          {...register('json_path')}
        />
        <TextField
          label="Expected JSON value"
          placeholder="ok"
          hint={jsonPath.trim() === '' ? 'Used with a JSON path.' : 'Empty to require any truthy value.'}
          error={err('json_expected')}
          {...register('json_expected')}
        />
      </div>
      <CheckboxField
        label="Follow redirects"
        error={err('follow_redirects')}
        {...register('follow_redirects')}
      />
      <CheckboxField
        label="Verify TLS certificates"
        error={err('verify_tls')}
        {...register('verify_tls')}
      />
    </>
  )
}

interface UpFieldsProps extends KindFieldsProps {
  kind: ServiceFormValues['kind']
  jsonPath: string
}

/** The settings that decide whether a check of the kind passes. */
export function UpFields({ kind, jsonPath, ...props }: UpFieldsProps) {
  switch (kind) {
    case 'http':
      return <HttpFields {...props} jsonPath={jsonPath} />
    case 'tcp':
      return <TcpFields {...props} />
    case 'ping':
      return <PingFields {...props} />
    case 'dns':
      return <DnsFields {...props} />
    case 'tls':
      return <TlsFields {...props} />
    case 'push':
      return null
  }
}

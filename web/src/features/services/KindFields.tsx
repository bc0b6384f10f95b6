import type { UseFormRegister } from 'react-hook-form'
import { CheckboxField } from '../../components/CheckboxField'
import { SelectField } from '../../components/SelectField'
import { TextField } from '../../components/TextField'
import { DNS_RECORD_TYPES } from './serviceForm'
import type { ServiceFormField, ServiceFormValues } from './serviceForm'

export interface KindFieldsProps {
  register: UseFormRegister<ServiceFormValues>
  err: (field: ServiceFormField) => string | undefined
}

const recordTypeOptions = DNS_RECORD_TYPES.map((type) => ({ value: type, label: type }))

const matchOptions = [
  { value: 'any', label: 'Any expected answer is enough' },
  { value: 'all', label: 'All expected answers must be there' },
] as const

function HostField({ register, err, label = 'Host name or IP' }: KindFieldsProps & { label?: string }) {
  return <TextField label={label} autoComplete="off" error={err('host')} {...register('host')} />
}

function PortField({ register, err, placeholder }: KindFieldsProps & { placeholder?: string }) {
  return (
    <TextField
      label="Port"
      inputMode="numeric"
      placeholder={placeholder}
      hint={placeholder === undefined ? '1 to 65535.' : `1 to 65535; empty for ${placeholder}.`}
      error={err('port')}
      {...register('port')}
    />
  )
}

/** What the tcp, ping, dns and tls kinds reach, shown with the basics. */
export function TargetFields({ kind, ...props }: KindFieldsProps & { kind: ServiceFormValues['kind'] }) {
  switch (kind) {
    case 'tcp':
      return (
        <>
          <HostField {...props} />
          <PortField {...props} />
        </>
      )
    case 'tls':
      return (
        <>
          <HostField {...props} />
          <PortField {...props} placeholder="443" />
        </>
      )
    case 'ping':
      return <HostField {...props} />
    case 'dns':
      return <HostField {...props} label="Name to query" />
    default:
      return null
  }
}

export function LatencyField({ register, err, hint }: KindFieldsProps & { hint: string }) {
  return (
    <TextField
      label="Latency threshold (ms)"
      inputMode="numeric"
      hint={hint}
      error={err('latency_threshold_ms')}
      {...register('latency_threshold_ms')}
    />
  )
}

export function TcpFields(props: KindFieldsProps) {
  const { register, err } = props
  return (
    <>
      <TextField
        label="Payload to send"
        hint="Sent once connected; empty to send nothing."
        className="sm:col-span-2"
        error={err('body')}
        {...register('body')}
      />
      <div className="flex flex-col gap-2">
        <TextField
          label="Expected reply text"
          hint="Text the reply must contain; empty for none."
          error={err('keyword')}
          {...register('keyword')}
        />
        <CheckboxField
          label="The text must be absent"
          error={err('keyword_absent')}
          {...register('keyword_absent')}
        />
      </div>
      <LatencyField {...props} hint="Slower connections count as degraded; empty for none." />
    </>
  )
}

export function PingFields(props: KindFieldsProps) {
  const { register, err } = props
  return (
    <>
      <TextField
        label="Packets"
        inputMode="numeric"
        hint="Pings per check, 1 to 10."
        error={err('ping_count')}
        {...register('ping_count')}
      />
      <TextField
        label="Loss threshold (%)"
        inputMode="numeric"
        hint="Down when more of the packets are lost, 0 to 100."
        error={err('loss_threshold_pct')}
        {...register('loss_threshold_pct')}
      />
      <LatencyField {...props} hint="A slower average round trip counts as degraded; empty for none." />
    </>
  )
}

export function DnsFields(props: KindFieldsProps) {
  const { register, err } = props
  return (
    <>
      <SelectField
        label="Record type"
        options={recordTypeOptions}
        error={err('dns_record_type')}
        {...register('dns_record_type')}
      />
      <TextField
        label="DNS server"
        placeholder="1.1.1.1:53"
        hint="host[:port]; empty for the system resolver."
        error={err('dns_server')}
        {...register('dns_server')}
      />
      <TextField
        label="Expected answers"
        hint="Comma separated, up to 20; empty to accept any answer."
        className="sm:col-span-2"
        error={err('dns_expected')}
        {...register('dns_expected')}
      />
      <SelectField label="Match" options={matchOptions} error={err('dns_match')} {...register('dns_match')} />
      <LatencyField {...props} hint="Slower answers count as degraded; empty for none." />
    </>
  )
}

export function TlsFields(props: KindFieldsProps) {
  const { register, err } = props
  return (
    <>
      <TextField
        label="Warning days"
        inputMode="numeric"
        hint="Degraded when the certificate has fewer days left, 0 to 365."
        error={err('tls_warn_days')}
        {...register('tls_warn_days')}
      />
      <LatencyField {...props} hint="Slower handshakes count as degraded; empty for none." />
      <CheckboxField
        label="Verify TLS certificates"
        error={err('verify_tls')}
        {...register('verify_tls')}
      />
    </>
  )
}

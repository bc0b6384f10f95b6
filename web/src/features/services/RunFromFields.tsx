import type { HostOut } from '../../api'
import { SelectField } from '../../components/SelectField'
import { TextField } from '../../components/TextField'
import { hostOptions } from './hostOptions'
import type { KindFieldsProps } from './KindFields'
import type { ServiceFormValues } from './serviceForm'

const runFromOptions = [
  { value: 'server', label: 'The Watchdeck server' },
  { value: 'host', label: "One host's agent" },
  { value: 'labels', label: 'Every agent whose host has these labels' },
] as const satisfies readonly { value: ServiceFormValues['run_from']; label: string }[]

interface RunFromFieldsProps extends KindFieldsProps {
  runFrom: ServiceFormValues['run_from']
  runHostId: string
  /** The team's hosts, or null while they load. */
  hosts: readonly HostOut[] | null
}

/**
 * Where the check runs: agents reach what the server cannot, such as a
 * private network, and several of them decide the status together.
 */
export function RunFromFields({ runFrom, runHostId, hosts, register, err }: RunFromFieldsProps) {
  return (
    <>
      <SelectField
        label="Runs from"
        options={runFromOptions}
        hint="An agent may check its own private network; metadata and link-local addresses stay refused."
        error={err('run_from')}
        {...register('run_from')}
      />
      {runFrom === 'host' &&
        (hosts === null ? (
          <SelectField label="Agent's host" disabled options={[{ value: '', label: 'Loading hosts…' }]} />
        ) : (
          <SelectField
            label="Agent's host"
            options={hostOptions(hosts, runHostId, 'Choose a host')}
            hint={hosts.length === 0 ? 'No hosts yet: install an agent on the Hosts page first.' : undefined}
            error={err('run_host_id')}
            {...register('run_host_id')}
          />
        ))}
      {runFrom === 'labels' && (
        <>
          <TextField
            label="Host labels"
            autoComplete="off"
            placeholder="region=eu, net=office"
            hint="key=value pairs; every host with all of them checks, each as a location."
            error={err('run_labels')}
            {...register('run_labels')}
          />
          <TextField
            label="Failing locations for down"
            inputMode="numeric"
            hint="1 to 100; empty for a majority of the locations."
            error={err('quorum')}
            {...register('quorum')}
          />
        </>
      )}
    </>
  )
}

import { useState } from 'react'
import { useFieldArray, useForm } from 'react-hook-form'
import type { Control, FieldErrors, UseFormRegister } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { ApiError, THEMES } from '../../api'
import type { HostOut, ServiceSummary, StatusPageOut, Theme } from '../../api'
import { Button } from '../../components/Button'
import { ButtonLink } from '../../components/ButtonLink'
import { CheckboxField } from '../../components/CheckboxField'
import { FormMessage } from '../../components/FormMessage'
import { SelectField } from '../../components/SelectField'
import { TextField } from '../../components/TextField'
import { FormSection } from '../../components/FormSection'
import { TextAreaField } from '../../components/TextAreaField'
import { errorClass, hasMessage, hintClass } from '../../components/fieldStyles'
import { AccessFields, LogoField } from './AccessFields'
import { ComponentsEditor } from './ComponentsEditor'
import { useChangeLogo } from './hooks'
import { StatusPagePreview } from './StatusPagePreview'
import { MAX_FOOTER_LINKS, newFooterLinkValues, serverErrorsFor, statusPageFormSchema } from './statusPageForm'
import type { LogoChange, StatusPageFormValues } from './statusPageForm'

const themeLabels: Record<Theme, string> = {
  auto: "Follow the reader's system",
  light: 'Light',
  dark: 'Dark',
}
const themeOptions = THEMES.map((value) => ({ value, label: themeLabels[value] }))

function FooterLinksEditor({
  control,
  register,
  errors,
}: {
  control: Control<StatusPageFormValues>
  register: UseFormRegister<StatusPageFormValues>
  errors: FieldErrors<StatusPageFormValues>
}) {
  const { fields, append, remove } = useFieldArray({ control, name: 'footer_links' })
  const listError = errors.footer_links?.root?.message ?? errors.footer_links?.message
  return (
    <fieldset className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <legend className="px-1 text-base font-semibold">Footer links</legend>
      <p className={hintClass}>Up to {MAX_FOOTER_LINKS} links at the foot of the page, e.g. your home page or support.</p>
      {hasMessage(listError) && (
        <p role="alert" className={errorClass}>
          {listError}
        </p>
      )}
      {fields.map((field, index) => (
        <fieldset key={field.id} className="grid gap-4 rounded-md border border-slate-200 p-4 sm:grid-cols-[1fr_2fr_auto] dark:border-slate-700">
          <legend className="px-1 text-sm font-semibold">Link {index + 1}</legend>
          <TextField
            label="Label"
            autoComplete="off"
            error={errors.footer_links?.[index]?.label?.message}
            {...register(`footer_links.${index}.label`)}
          />
          <TextField
            label="URL"
            type="url"
            inputMode="url"
            placeholder="https://example.com/support"
            error={errors.footer_links?.[index]?.url?.message}
            {...register(`footer_links.${index}.url`)}
          />
          <div className="sm:pt-7">
            <Button variant="secondary" size="sm" aria-label={`Remove link ${index + 1}`} onClick={() => remove(index)}>
              Remove
            </Button>
          </div>
        </fieldset>
      ))}
      <div>
        <Button
          variant="secondary"
          disabled={fields.length >= MAX_FOOTER_LINKS}
          onClick={() => append({ ...newFooterLinkValues })}
        >
          Add a link
        </Button>
      </div>
    </fieldset>
  )
}

interface StatusPageFormProps {
  defaultValues: StatusPageFormValues
  services: readonly ServiceSummary[]
  hosts: readonly HostOut[]
  submitLabel: string
  cancelTo: string
  /** Where the saved page is served, for the preview's link; left out for a new page. */
  publicPath?: string
  /** The saved page's logo; null or left out when it has none. */
  logoPath?: string | null
  /** Saves the values; a rejected promise with an ApiError puts its field messages on the inputs. */
  onSubmit: (values: StatusPageFormValues) => Promise<StatusPageOut>
  /** Once saved, and the logo sent; `logoError` says why the logo was not, the page being saved all the same. */
  onSaved: (page: StatusPageOut, logoError: string | null) => unknown
}

export function StatusPageForm({
  defaultValues,
  services,
  hosts,
  submitLabel,
  cancelTo,
  publicPath,
  logoPath = null,
  onSubmit,
  onSaved,
}: StatusPageFormProps) {
  const changeLogo = useChangeLogo()
  const [logo, setLogo] = useState<LogoChange>({ kind: 'keep' })
  const [logoError, setLogoError] = useState<string | null>(null)
  const {
    control,
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<StatusPageFormValues>({
    resolver: zodResolver(statusPageFormSchema),
    defaultValues,
  })
  const formError = errors.root?.server?.message ?? null

  async function submit(values: StatusPageFormValues) {
    let page: StatusPageOut
    try {
      page = await onSubmit(values)
    } catch (error) {
      const { fields, message } = serverErrorsFor(error, values)
      fields.forEach(([path, text], index) => {
        setError(path, { type: 'server', message: text }, { shouldFocus: index === 0 })
      })
      if (message !== null) {
        setError('root.server', { type: error instanceof ApiError ? error.code : 'error', message })
      }
      return
    }
    // The logo goes to the saved page's own address, so only after the page is saved.
    let failure: string | null = null
    if (logo.kind !== 'keep') {
      try {
        await changeLogo.mutateAsync({ id: page.id, change: logo })
        setLogo({ kind: 'keep' })
      } catch (error) {
        failure = error instanceof Error ? error.message : 'something went wrong'
      }
    }
    setLogoError(failure === null ? null : `The page was saved, but not its logo: ${failure}`)
    await onSaved(page, failure)
  }

  return (
    <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,24rem)]">
      <form noValidate onSubmit={handleSubmit(submit)} className="flex min-w-0 flex-col gap-6">
        <FormMessage message={formError} />

        <FormSection title="Page">
          <TextField label="Title" autoComplete="off" error={errors.title?.message} {...register('title')} />
          <TextField
            label="Slug"
            autoComplete="off"
            spellCheck={false}
            placeholder="acme"
            hint="The page's address, /status/<slug>: lower-case letters, digits and hyphens."
            error={errors.slug?.message}
            {...register('slug')}
          />
          <TextAreaField
            label="Description"
            className="sm:col-span-2"
            hint="Optional, shown under the title."
            error={errors.description?.message}
            {...register('description')}
          />
          <SelectField label="Theme" options={themeOptions} error={errors.theme?.message} {...register('theme')} />
          <CheckboxField
            label="Let search engines list it"
            className="sm:self-center"
            hint="Otherwise the page asks not to be indexed."
            error={errors.indexed?.message}
            {...register('indexed')}
          />
        </FormSection>

        <FormSection title="Access and domain">
          <AccessFields control={control} register={register} errors={errors} />
          <LogoField
            logoPath={logoPath}
            change={logo}
            onChange={setLogo}
            error={logoError}
            onError={setLogoError}
          />
        </FormSection>

        <ComponentsEditor control={control} register={register} errors={errors} services={services} hosts={hosts} />

        <FooterLinksEditor control={control} register={register} errors={errors} />

        <div className="flex gap-3">
          <Button type="submit" loading={isSubmitting}>
            {submitLabel}
          </Button>
          <ButtonLink to={cancelTo} variant="secondary">
            Cancel
          </ButtonLink>
        </div>
      </form>
      <div className="lg:sticky lg:top-4">
        <StatusPagePreview
          control={control}
          services={services}
          hosts={hosts}
          publicPath={publicPath}
          logoPath={logo.kind === 'keep' ? logoPath : null}
        />
      </div>
    </div>
  )
}

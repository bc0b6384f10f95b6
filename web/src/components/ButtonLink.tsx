import { Link } from 'react-router'
import type { ComponentProps } from 'react'
import { buttonClasses } from './Button'
import type { ButtonSize, ButtonVariant } from './Button'

interface ButtonLinkProps extends ComponentProps<typeof Link> {
  variant?: ButtonVariant
  size?: ButtonSize
}

/** A link that navigates, styled as a button. */
export function ButtonLink({ variant = 'primary', size = 'md', className = '', ...rest }: ButtonLinkProps) {
  return <Link className={`${buttonClasses(variant, size)} ${className}`} {...rest} />
}

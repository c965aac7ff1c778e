'use client';

import { Grid, Section, StringField } from './fields';

/** The colour and footer of the bot's replies (config `branding`): a Pro feature, checked when published. */
export function BrandingSection() {
  return (
    <Section title="Branding" path={['branding']}>
      <Grid>
        <StringField
          path={['branding', 'color']}
          label="Reply colour"
          hint="Such as #1abc9c. Wins, losses and errors keep their own colours. Pro and Scale plans."
          optional
        />
        <StringField
          path={['branding', 'footer']}
          label="Reply footer"
          hint="Up to 200 characters, shown under each reply. Pro and Scale plans."
          optional
        />
      </Grid>
    </Section>
  );
}

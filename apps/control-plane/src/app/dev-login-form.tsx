'use client';

import { useFormStatus } from 'react-dom';
import { Button } from '../components/ui/button';
import { TextInput } from '../components/ui/field';

function Submit() {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" disabled={pending} className="w-full">
      {pending ? 'Logging in…' : 'Log in'}
    </Button>
  );
}

export function DevLoginForm({ action }: { action: (formData: FormData) => Promise<void> }) {
  return (
    <form action={action} className="space-y-3">
      <TextInput
        label="Your name"
        name="name"
        required
        maxLength={32}
        autoComplete="nickname"
        defaultValue="Dev Owner"
      />
      <Submit />
    </form>
  );
}

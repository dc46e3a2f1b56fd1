import { test as setup } from '@playwright/test';
import { signIn } from './support/sign-in';
import { DEMO, DEMO2, STORAGE } from './support/users';

setup('sign in as demo', async ({ page }) => {
  await signIn(page, DEMO);
  await page.context().storageState({ path: STORAGE.demo });
});

setup('sign in as demo2', async ({ page }) => {
  await signIn(page, DEMO2);
  await page.context().storageState({ path: STORAGE.demo2 });
});

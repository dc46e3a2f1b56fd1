import { test as setup } from '@playwright/test';
import { signIn, signInStaff } from './support/sign-in';
import { DEMO, DEMO2, OPERATOR, STAFF, STORAGE } from './support/users';

setup('sign in as demo', async ({ page }) => {
  await signIn(page, DEMO);
  await page.context().storageState({ path: STORAGE.demo });
});

setup('sign in as demo2', async ({ page }) => {
  await signIn(page, DEMO2);
  await page.context().storageState({ path: STORAGE.demo2 });
});

setup('sign in as bank staff (read-only)', async ({ page }) => {
  await signInStaff(page, STAFF);
  await page.context().storageState({ path: STORAGE.staff });
});

setup('sign in as operator', async ({ page }) => {
  await signInStaff(page, OPERATOR);
  await page.context().storageState({ path: STORAGE.operator });
});

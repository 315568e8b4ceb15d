/**
 * Whether the container tests can run here, and how containers reach the test: with host networking
 * where the engine has no bridge (CI starts dockerd --bridge=none, DEVELOPERS.md), mapped ports
 * otherwise.
 */
import { getContainerRuntimeClient, ImageName } from 'testcontainers';

/** Why the container tests cannot run (no image named, no engine, image not built), or undefined. */
export async function dockerUnavailable(image: string | undefined): Promise<string | undefined> {
  if (!image) return 'SNOWFLAKE_AUTH_MOCK_IMAGE names no image; build one with `bash scripts/build-image.sh` and set it';
  try {
    const client = await getContainerRuntimeClient();
    const images = await client.image.exists(ImageName.fromString(image));
    return images ? undefined : `the image ${image} is not built (bash scripts/build-image.sh ${image})`;
  } catch (error) {
    return `no Docker engine: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}

/** `host` when SNOWFLAKE_AUTH_MOCK_TEST_NETWORK says so (CI), else undefined (the engine's default network, mapped ports). */
export function networkMode(): string | undefined {
  return process.env.SNOWFLAKE_AUTH_MOCK_TEST_NETWORK || undefined;
}

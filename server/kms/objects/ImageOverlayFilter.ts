import type { FrameSize, PictureInput } from '../media/ffmpeg/overlay';
import type { ObjectContext } from './MediaObject';
import type { ImageOverlayFilterEvents, KmsConstructorParams } from './kmd-types.generated';
import { OverlayFilter, Picture } from './OverlayFilter';

interface Placed {
  picture: Picture;
  offsetXPercent: number;
  offsetYPercent: number;
  widthPercent: number;
  heightPercent: number;
  keepAspectRatio: boolean;
  center: boolean;
}

/**
 * KMD ImageOverlayFilter: pictures drawn over the video at fixed places, each given as fractions of the frame
 * (offsetXPercent, offsetYPercent, widthPercent, heightPercent); keepAspectRatio fits the picture inside that box
 * keeping its proportions, center centres it there. addImage with an id already in use replaces that picture;
 * removeImage of an unknown id does nothing, as in KMS. Drawn by ffmpeg (media/ffmpeg/overlay.ts): a change of the
 * pictures restarts its process, which starts again at the next key frame of the input. Picture URIs follow the
 * PlayerEndpoint's rules (file:// inside the media folder, http(s) through the guarded fetcher).
 */
export class ImageOverlayFilter extends OverlayFilter<ImageOverlayFilterEvents> {
  private readonly images = new Map<string, Placed>();

  constructor(context: ObjectContext, { mediaPipeline }: KmsConstructorParams['ImageOverlayFilter']) {
    super(context, 'ImageOverlayFilter', mediaPipeline);
  }

  async addImage(params: { id: string; uri: string } & Omit<Placed, 'picture'>): Promise<void> {
    const picture = Picture.of(params.uri, this.context);
    const previous = this.images.get(params.id);
    this.images.set(params.id, { ...params, picture });
    this.replan();
    await previous?.picture.close();
  }

  async removeImage({ id }: { id: string }): Promise<void> {
    const previous = this.images.get(id);
    if (!previous) return;
    this.images.delete(id);
    this.replan();
    await previous.picture.close();
  }

  protected plan(size: FrameSize) {
    const placed = [...this.images.entries()].filter(([, image]) => image.widthPercent > 0 && image.heightPercent > 0);
    if (placed.length === 0) return undefined;
    const key = `${size.width}x${size.height}|${JSON.stringify(placed.map(([id, image]) => [id, image.picture.uri, image.offsetXPercent, image.offsetYPercent, image.widthPercent, image.heightPercent, image.keepAspectRatio, image.center]))}`;
    return {
      key,
      pictures: placed.map(([, image]) => image.picture),
      build: (inputs: PictureInput[]) => ({
        size,
        pictures: inputs,
        movable: 0,
        fixed: placed.map(([, image], picture) => ({
          picture,
          rect: { x: image.offsetXPercent * size.width, y: image.offsetYPercent * size.height, width: image.widthPercent * size.width, height: image.heightPercent * size.height },
          keepAspectRatio: image.keepAspectRatio,
          center: image.center,
        })),
      }),
    };
  }

  protected override async dispose(): Promise<void> {
    await super.dispose();
    for (const image of this.images.values()) await image.picture.close();
  }
}

import { frameLine, frameReader } from '../plugin/server/protocol';

describe('remaster serve frames', () => {
  it('reads a frame whose non-ASCII text is split across chunks mid-character', () => {
    const frames: unknown[] = [];
    const bad: string[] = [];
    const read = frameReader((frame) => frames.push(frame), (line) => bad.push(line));
    const bytes = Buffer.from(frameLine({ t: 'err', text: 'textures/mur_pierre_é.png: not an image\n' }));
    const cut = bytes.indexOf(Buffer.from('é')) + 1; // between the two bytes of é
    read(bytes.subarray(0, cut));
    read(bytes.subarray(cut));
    expect(bad).toEqual([]);
    expect(frames).toEqual([{ t: 'err', text: 'textures/mur_pierre_é.png: not an image\n' }]);
  });
});

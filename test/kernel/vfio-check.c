/* vfio-check GROUP ADDR...: prove the devices are usable by a VM through the VFIO ioctls —
 * the group is viable, attaches to a type1 container, and each device hands out a device fd. */
#include <fcntl.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: vfio-check GROUP ADDR...\n"); return 2; }
  int container = open("/dev/vfio/vfio", O_RDWR);
  if (container < 0) { perror("open /dev/vfio/vfio"); return 1; }
  if (ioctl(container, VFIO_GET_API_VERSION) != VFIO_API_VERSION) { fprintf(stderr, "bad VFIO API version\n"); return 1; }
  if (!ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU)) { fprintf(stderr, "no type1 IOMMU\n"); return 1; }
  char path[64];
  snprintf(path, sizeof path, "/dev/vfio/%s", argv[1]);
  int group = open(path, O_RDWR);
  if (group < 0) { perror(path); return 1; }
  struct vfio_group_status status = { .argsz = sizeof status };
  if (ioctl(group, VFIO_GROUP_GET_STATUS, &status) < 0) { perror("VFIO_GROUP_GET_STATUS"); return 1; }
  if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) { printf("group %s not viable\n", argv[1]); return 1; }
  if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) < 0) { perror("VFIO_GROUP_SET_CONTAINER"); return 1; }
  if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU) < 0) { perror("VFIO_SET_IOMMU"); return 1; }
  for (int i = 2; i < argc; i++) {
    int device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, argv[i]);
    if (device < 0) { perror(argv[i]); return 1; }
    struct vfio_device_info info = { .argsz = sizeof info };
    if (ioctl(device, VFIO_DEVICE_GET_INFO, &info) < 0) { perror("VFIO_DEVICE_GET_INFO"); return 1; }
    printf("device %s regions=%u irqs=%u\n", argv[i], info.num_regions, info.num_irqs);
    close(device);
  }
  printf("group %s viable\n", argv[1]);
  return 0;
}

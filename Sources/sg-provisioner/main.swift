print("sg-provisioner: under construction")
